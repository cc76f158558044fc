namespace BinlogArchive.Core.Storage;

/// <summary>What a store knows about one object without reading it.</summary>
/// <param name="Key">The key relative to the store's root (the URI's prefix is not part of it).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content when the store kept it as metadata (we set it on every put); null otherwise.</param>
public sealed record StoredObject(string Key, long Size, string ETag, DateTimeOffset LastModified, string? Sha256);
