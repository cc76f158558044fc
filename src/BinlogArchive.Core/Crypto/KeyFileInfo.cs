namespace BinlogArchive.Core.Crypto;

/// <summary>A key file that was created: where it is and its id (never the key).</summary>
public sealed record KeyFileInfo(string FullName, string KeyId);
