/// Which catalogue a command reads, in the order pyman chooses: PYMAN_DOWNLOADS_JSON / --downloads-json
/// (a file or a URL, read each time), else the one `pyman catalogue update` or a refresh stored, else
/// the one compiled into pyman.
public enum CatalogueSource: Sendable {
    case file(path: String)
    case url(String)
    case stored(StoredCatalogue.Origin, path: String)
    case embedded
}
