import SystemPackage

/// The one error pyman shows a user: what went wrong (naming the path or input and the cause) and,
/// when there is one, what to do about it. Printed as `error: <message>; <hint>`.
public struct PymanError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public var hint: String?
    /// The system's code when a system call failed, for the few callers that treat, say, "already
    /// exists" apart from "permission denied".
    public var code: Errno?

    public init(_ message: String, hint: String? = nil, code: Errno? = nil) {
        self.message = message
        self.hint = hint
        self.code = code
    }

    public var description: String {
        hint.map { "\(message); \($0)" } ?? message
    }

    /// `cannot <action> <path>: <the system's reason>`.
    public static func system(_ action: String, _ path: String, _ code: Errno, hint: String? = nil) -> PymanError {
        PymanError("cannot \(action) \(path): \(code.description)", hint: hint, code: code)
    }

    /// The same failure with `hint` as what to do (replacing any hint it had).
    public func hinting(_ hint: String) -> PymanError {
        var copy = self
        copy.hint = hint
        return copy
    }
}
