import ArgumentParser
import Configuration
import Core
import Install
import Shell

struct UpdateShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update-shell",
        _superCommandName: "pyman",
        abstract: "Put the bin dir on PATH in the shells' startup files.",
        discussion: "Appends a guarded block, marked `# added by pyman update-shell`, to ~/.bashrc and bash's login file (the first of ~/.bash_profile, ~/.bash_login, ~/.profile, else a new ~/.profile), to zsh's .zshenv (ZDOTDIR's or HOME's, whichever exists) and writes fish's $XDG_CONFIG_HOME/fish/conf.d/pyman.fish; zsh and fish only when installed. A second run changes nothing."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let report = try ShellSetup(settings: settings).run()
        settings.output.show(report)
        if report.failed { throw ExitCode.failure }
    }
}
