import ArgumentParser
import Configuration
import Core
import FoundationEssentials
import Install

@main
struct Pyman: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pyman",
        abstract: "Install standalone CPython builds and create virtual environments.",
        discussion: "Exit status: 0 success, 1 failure, 2 usage error.",
        version: Settings.versionLine,
        subcommands: [InstallCommand.self, ListCommand.self, FindCommand.self, UninstallCommand.self,
                      UpgradeCommand.self, DirCommand.self, VenvCommand.self, VenvsCommand.self, PinCommand.self, DoctorCommand.self,
                      CatalogueCommand.self, CacheCommand.self, LockCommand.self, UpdateShellCommand.self]
    )

    /// Runs the command; every failure becomes one `error:` line and exit status 1 (2 for usage errors).
    /// Parsing throws ArgumentParser's errors (usage, validation), and so do the commands it makes
    /// itself (`--help` parses to its help command, `pyman` alone to the root, whose run asks for help):
    /// those print as ArgumentParser words them. pyman's own subcommands throw pyman's errors, printed as
    /// `error: <description>`, or an exit code.
    static func main() {
        ProcessEnvironment.ignoreBrokenPipes()
        Interruption.catchTerminationSignals()
        let command: ParsableCommand
        do {
            command = try parseSubcommandDirectly() ?? parseAsRoot()
        } catch {
            exitAsArgumentParser(error)
        }
        let isOwnSubcommand = (configuration.subcommands + CatalogueCommand.configuration.subcommands + CacheCommand.configuration.subcommands).contains { $0 == type(of: command) }
        do {
            var command = command
            try command.run()
            exitIfInterrupted()
        } catch let error as ExitCode {
            exitIfInterrupted()
            ProcessEnvironment.exit(error.rawValue)
        } catch where isOwnSubcommand {
            StandardError.writeLine("error: \(error)")
            exitIfInterrupted()
            ProcessEnvironment.exit(1)
        } catch {
            exitAsArgumentParser(error)
        }
    }

    /// A command asked to stop by SIGINT or SIGTERM has cleaned up like any failed one (its message
    /// said so); it ends with 128 + the signal, as a shell reports a killed program.
    static func exitIfInterrupted() {
        if let signal = Interruption.signal { ProcessEnvironment.exit(128 + signal) }
    }

    /// Help and version go to stdout with status 0; usage errors to stderr with status 2.
    static func exitAsArgumentParser(_ error: Error) -> Never {
        let code = exitCode(for: error)
        if code == .success { Self.exit(withError: error) }
        StandardError.write(fullMessage(for: error) + "\n")
        ProcessEnvironment.exit(code == .validationFailure ? 2 : code.rawValue)
    }

    /// `pyman <subcommand> args…` parsed by the subcommand's own parser. The root parse also builds the
    /// root's argument set and tries two completion-script parsers first, which costs ~1 ms of
    /// Swift runtime type lookups at every start (profiled; a third of `pyman find`). Subcommands name
    /// `pyman` as their `_superCommandName`, which skips those parsers when a subcommand is parsed as a
    /// root (and is read nowhere else while `Pyman` is the root). Anything but a cleanly parsed
    /// subcommand (help, usage errors, completion requests) returns nil, and the root parse then
    /// produces exactly the messages it always has.
    static func parseSubcommandDirectly() -> ParsableCommand? {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first,
              let subcommand = configuration.subcommands.first(where: { $0._commandName == name }),
              let command = try? subcommand.parseAsRoot(Array(arguments.dropFirst())),
              type(of: command) == subcommand
        else { return nil }
        return command
    }
}
