import Configuration
import FoundationEssentials
import Shell

extension ShellSetup {
    /// `pyman update-shell` for the settings' HOME, bin dir, ZDOTDIR, XDG_CONFIG_HOME and PATH.
    public init(settings: Settings) {
        self.init(home: settings.homeDir, binDir: settings.binDir, zshDotDir: settings.zshDotDir,
                  configDir: settings.configDir, searchPath: SearchPath(settings.searchPath))
    }
}
