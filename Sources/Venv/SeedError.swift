/// Why `pyman venv --seed` could not install pip: one line naming the problem and the fix.
public struct SeedError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    init(_ description: String) {
        self.description = description.replacing("\n", with: " ").replacing("\r", with: " ")
    }
}
