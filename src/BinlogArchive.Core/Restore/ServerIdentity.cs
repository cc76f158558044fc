using System.Globalization;

namespace BinlogArchive.Core.Restore;

/// <summary>The server that wrote a binlog: its server_id and, when known, its server_uuid.</summary>
public readonly record struct ServerIdentity(uint ServerId, string? ServerUuid)
{
    public override string ToString() => ServerUuid is { Length: > 0 } uuid
        ? string.Create(CultureInfo.InvariantCulture, $"server_id {ServerId} ({uuid})")
        : string.Create(CultureInfo.InvariantCulture, $"server_id {ServerId}");
}
