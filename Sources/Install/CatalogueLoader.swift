import Core
import Catalogue
import Download
import FoundationEssentials
import SystemPackage

extension Settings {
    /// The catalogue to install from: PYMAN_DOWNLOADS_JSON / --downloads-json when set, else the
    /// embedded one; then the mirror applied.
    public func loadCatalogue() throws -> Catalogue {
        var catalogue: Catalogue
        if let source = downloadsJSON {
            let data: Data
            if source.contains("://") {
                do {
                    data = try Downloader.fetch(url: source, options: download, limit: UVMetadataParser.maximumSize)
                } catch let error as DownloadError {
                    throw PymanError("cannot read the catalogue \(source): \(error.message)", hint: "check PYMAN_DOWNLOADS_JSON")
                }
            } else {
                let url = URL(fileURLWithPath: source, relativeTo: currentDirectory)
                do {
                    data = Data(try FileSystem.readFile(url.path, limit: UVMetadataParser.maximumSize))
                } catch let error as PymanError where error.code == .noSuchFileOrDirectory {
                    throw PymanError("catalogue \(url.path) does not exist", hint: "fix PYMAN_DOWNLOADS_JSON / --downloads-json")
                } catch let error as PymanError {
                    throw error.hinting("fix PYMAN_DOWNLOADS_JSON / --downloads-json")
                }
            }
            catalogue = try UVMetadataParser.parse(data, source: source)
        } else {
            catalogue = Catalogue.embedded()
        }
        if let mirror { catalogue = catalogue.mirrored(to: mirror) }
        return catalogue
    }
}
