namespace BinlogArchive.Cli;

/// <summary>What `keygen --json` prints: where the key went and its id, never the key.</summary>
internal sealed record KeygenResult(string Path, string KeyId);
