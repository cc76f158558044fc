namespace BinlogArchive.Core.Storage;

/// <summary>
/// An object being read, with the metadata of the very version whose bytes <see cref="Content"/>
/// yields, so a read-modify-conditional-write cycle uses a matching ETag.
/// </summary>
public sealed class OpenedObject : IAsyncDisposable, IDisposable
{
    public OpenedObject(StoredObject info, Stream content)
    {
        Info = info;
        Content = content;
    }

    public StoredObject Info { get; }

    public Stream Content { get; }

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
