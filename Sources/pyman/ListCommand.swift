import ArgumentParser
import Configuration
import Core
import FoundationEssentials
import Install

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        _superCommandName: "pyman",
        abstract: "List installed Pythons and the newest available of each series."
    )

    @Argument(help: "Only show Pythons matching this request.")
    var request: String?

    @Flag(name: .customLong("only-installed"), help: "Show installed Pythons only.")
    var onlyInstalled = false

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let (rows, notes) = try Listing.rows(matching: request, onlyInstalled: onlyInstalled, settings: settings)
        notes.forEach(settings.output.note)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        let width = (rows.map(\.key.count).max() ?? 0) + 4
        for row in rows {
            let found = ["pyman", "download"].contains(row.source) ? "" : " (\(row.source))"
            print(row.key + String(repeating: " ", count: max(0, width - row.key.count)) + (row.executable ?? "<download available>") + found)
        }
    }
}
