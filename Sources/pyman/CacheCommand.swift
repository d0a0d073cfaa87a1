import ArgumentParser

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        _superCommandName: "pyman",
        abstract: "Show or empty the cache: downloaded archives, the fetched catalogue, the unpacked pip wheel.",
        discussion: "Archives are kept in <cache dir>/downloads-v1, named by their sha256, and installed from there when present (off with --no-cache or PYMAN_NO_CACHE=1).",
        subcommands: [CacheDirCommand.self, CacheCleanCommand.self, CachePruneCommand.self]
    )
}
