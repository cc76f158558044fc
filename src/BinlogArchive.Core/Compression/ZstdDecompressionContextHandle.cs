using System.Runtime.InteropServices;

namespace BinlogArchive.Core.Compression;

/// <summary>Owns a ZSTD_DCtx.</summary>
internal sealed unsafe class ZstdDecompressionContextHandle : SafeHandle
{
    public ZstdDecompressionContextHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(ZstdLibrary.Instance.CreateDCtx());
        if (IsInvalid)
        {
            throw new OutOfMemoryException("ZSTD_createDCtx returned NULL");
        }
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        ZstdLibrary.Instance.FreeDCtx(handle);
        return true;
    }
}
