/// Why a wheel could not be used. `damaged` is the wheel's (or the cached tree's) fault, `unsupported`
/// a wheel pyman does not seed, `io` a missing libarchive; what the file system refuses (permissions,
/// disk full) comes as Core's `PymanError`. Venv's `PipSeeder` turns each into a one-line message
/// with what to do, which differs by case.
public enum WheelFailure: Error, Equatable, Sendable {
    case damaged(String)
    case unsupported(String)
    case io(String)
}
