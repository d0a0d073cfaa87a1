import FoundationEssentials

/// What a conditional fetch of a document brought: a new body with its validators, or word that the
/// copy the validators came from is still current.
public enum FetchedDocument: Sendable {
    case changed(Data, CacheValidators)
    case notModified
}
