import Configuration
import FoundationEssentials
import Shell

extension ShellSetup {
    /// `pyman update-shell` for the settings' HOME, bin dir, ZDOTDIR, XDG_CONFIG_HOME and PATH.
    public init(settings: Settings) {
        self.init(home: settings.homeDir.path, binDir: settings.binDir.path, zshDotDir: settings.zshDotDir?.path,
                  configDir: settings.configDir.path, searchPath: SearchPath(settings.searchPath))
    }
}
