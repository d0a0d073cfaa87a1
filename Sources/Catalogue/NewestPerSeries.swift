/// The newest build of each series (`cpython-3.13-linux-x86_64-gnu`, one per minor version, variant and
/// platform): what `pyman list` offers and what `pyman upgrade` starts from.
public enum NewestPerSeries {
    /// Each series' newest element of `items`, keyed by its minor link name (`PythonKey.minorLinkName`).
    /// Of two builds with the same version the first one seen is kept.
    public static func select<C: Collection>(_ items: C, key: (C.Element) -> PythonKey) -> [String: C.Element] {
        var newest: [String: (element: C.Element, version: PythonVersion)] = [:]
        for item in items {
            let itemKey = key(item)
            let series = itemKey.minorLinkName
            if let current = newest[series], current.version >= itemKey.version { continue }
            newest[series] = (item, itemKey.version)
        }
        return newest.mapValues(\.element)
    }
}
