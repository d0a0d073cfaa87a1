/// Why a requires-python is not PEP 440 version specifiers: the reason alone, which
/// `PyprojectFile.request(path:)` puts after the path and the text.
public struct VersionSpecifierProblem: Error, Equatable {
    public var why: String

    public init(_ why: String) {
        self.why = why
    }
}
