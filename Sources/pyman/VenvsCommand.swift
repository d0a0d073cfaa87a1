import ArgumentParser
import Configuration
import Core
import Install

struct VenvsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "venvs",
        _superCommandName: "pyman",
        abstract: "List the venvs pyman made or was shown (by `pyman venv` and `pyman doctor`), with their Python and whether each starts."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let settings = try global.settings()
        let rows = VenvListing.rows(settings: settings)
        if rows.isEmpty { settings.output.note("No venvs are registered: `pyman venv` and `pyman doctor DIR` record them.") }
        let width = rows.map(\.path.count).max() ?? 0
        let pythonWidth = rows.map(\.python.count).max() ?? 0
        for row in rows {
            func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: width + 4 - text.count) }
            print(padded(row.path, width) + padded(row.python, pythonWidth) + row.base + "    " + (row.problem.map { "cannot start: \($0)" } ?? "ok"))
        }
    }
}
