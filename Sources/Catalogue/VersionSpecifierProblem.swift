/// Why a requires-python is not PEP 440 version specifiers: the reason alone, which
/// `PyprojectFile.request(path:)` puts after the path and the text.
struct VersionSpecifierProblem: Error, Equatable {
    var why: String

    init(_ why: String) {
        self.why = why
    }
}
