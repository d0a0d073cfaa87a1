/// What one line of a lock file says, once `TOMLLineScanner` has read it.
public enum TOMLLine: Equatable {
    /// Blank, or a comment alone.
    case blank
    /// `[[name]]` with a bare name; the parser accepts only `python`.
    case arrayTableHeader(String)
    case assignment(key: String, value: TOMLValue)
}
