import Core

extension PymanError {
    /// A failure of `pyman venv --seed` on one line: paths and reasons from the file system or a wheel
    /// may hold line breaks, which would make the message look like several.
    static func oneLine(_ message: String, hint: String) -> PymanError {
        func flattened(_ text: String) -> String { text.replacing("\n", with: " ").replacing("\r", with: " ") }
        return PymanError(flattened(message), hint: flattened(hint))
    }
}
