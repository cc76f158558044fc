namespace BinlogArchive.Core.Storage.Sending;

/// <summary>What send did with one archive.</summary>
public enum SendOutcome
{
    /// <summary>Uploaded and confirmed durable.</summary>
    Created,

    /// <summary>The same content was already stored under that name: nothing uploaded.</summary>
    AlreadyStored,

    /// <summary>Dry run: everything checked, nothing written.</summary>
    WouldStore,
}
