using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Storage;

/// <summary>A conditional put lost: the object exists (If-None-Match: *) or changed since it was read (If-Match).</summary>
public sealed class StorePreconditionFailedException : BinlogArchiveException
{
    public StorePreconditionFailedException(string uri, PutCondition condition, Exception? inner = null)
        : base("StorePreconditionFailed", ErrorKind.ResourceExists,
            $"{uri}: the write was refused because its precondition ({condition}) failed: another writer created or changed the object.",
            uri, "Read the object again and retry.", inner)
    {
        Condition = condition;
    }

    public PutCondition Condition { get; }
}
