using System.Runtime.InteropServices;

namespace BinlogArchive.Core.Compression;

/// <summary>Owns a ZSTD_CCtx; freeing it also joins the context's worker threads.</summary>
internal sealed unsafe class ZstdCompressionContextHandle : SafeHandle
{
    public ZstdCompressionContextHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(ZstdLibrary.Instance.CreateCCtx());
        if (IsInvalid)
        {
            throw new OutOfMemoryException("ZSTD_createCCtx returned NULL");
        }
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        ZstdLibrary.Instance.FreeCCtx(handle);
        return true;
    }
}
