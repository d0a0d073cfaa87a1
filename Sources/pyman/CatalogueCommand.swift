import ArgumentParser

struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        _superCommandName: "pyman",
        abstract: "Fetch the list of Pythons available for download, or show the one in use.",
        discussion: "install and upgrade fetch it again by themselves when the stored one is older than PYMAN_CATALOGUE_TTL (24h; 0 = every time, never = only `pyman catalogue update`).",
        subcommands: [CatalogueUpdateCommand.self, CatalogueShowCommand.self]
    )
}
