/// The newest build of each series (`cpython-3.13-linux-x86_64-gnu`, one per minor version, variant and
/// platform): what `pyman list` offers and what `pyman upgrade` starts from.
public enum NewestPerSeries {
    /// Each series' newest element of `items`, keyed by its minor link name (`PythonKey.minorLinkName`).
    /// Of two builds with the same version the first one seen is kept. `acrossLevels` makes the x86-64
    /// levels of a series one series (keyed by the baseline's name), whose newest version wins and, of
    /// its builds, the highest level: what a machine that runs them all is offered.
    public static func select<C: Collection>(_ items: C, acrossLevels: Bool = false, key: (C.Element) -> PythonKey) -> [String: C.Element] {
        var newest: [String: (element: C.Element, key: PythonKey)] = [:]
        for item in items {
            let itemKey = key(item)
            var seriesKey = itemKey
            if acrossLevels { seriesKey.platform.archVariant = nil }
            let series = seriesKey.minorLinkName
            if let current = newest[series] {
                let older = current.key.version > itemKey.version
                let sameVersionNoBetter = current.key.version == itemKey.version && current.key.platform.level >= itemKey.platform.level
                if older || sameVersionNoBetter { continue }
            }
            newest[series] = (item, itemKey)
        }
        return newest.mapValues(\.element)
    }
}
