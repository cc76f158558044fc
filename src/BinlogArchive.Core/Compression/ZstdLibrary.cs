using System.Runtime.InteropServices;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Compression;

/// <summary>
/// The system libzstd, bound through <see cref="NativeLibrary"/> and unmanaged function pointers
/// rather than an assembly-wide DllImport resolver: the assembly can only have one resolver, and
/// trying the names ourselves lets a missing library become a typed, actionable error.
/// Signatures follow zstd.h (1.4+ stable API: ZSTD_compressStream2, ZSTD_CCtx_setParameter).
/// </summary>
internal sealed unsafe class ZstdLibrary
{
    internal static readonly string[] DefaultNames = ["libzstd.so.1", "libzstd.so", "zstd", "libzstd.1.dylib", "libzstd.dylib"];

    private static readonly Lazy<ZstdLibrary> Shared = new(() => Load(DefaultNames));

    public readonly delegate* unmanaged<nint> CreateCCtx;
    public readonly delegate* unmanaged<nint, nuint> FreeCCtx;
    public readonly delegate* unmanaged<nint, int, int, nuint> CCtxSetParameter;
    public readonly delegate* unmanaged<nint, int, int*, nuint> CCtxGetParameter;
    public readonly delegate* unmanaged<nint, ulong, nuint> CCtxSetPledgedSrcSize;
    public readonly delegate* unmanaged<nint, ZstdOutBuffer*, ZstdInBuffer*, int, nuint> CompressStream2;
    public readonly delegate* unmanaged<nuint> CStreamOutSize;
    public readonly delegate* unmanaged<nint> CreateDCtx;
    public readonly delegate* unmanaged<nint, nuint> FreeDCtx;
    public readonly delegate* unmanaged<nint, int, int, nuint> DCtxSetParameter;
    public readonly delegate* unmanaged<nint, ZstdOutBuffer*, ZstdInBuffer*, nuint> DecompressStream;
    public readonly delegate* unmanaged<nuint> DStreamInSize;
    public readonly delegate* unmanaged<nuint, uint> IsError;
    public readonly delegate* unmanaged<nuint, nint> GetErrorName;
    public readonly delegate* unmanaged<uint> VersionNumber;

    /// <summary>ZSTD_getCParams: experimental API, so null where a build does not export it.</summary>
    public readonly delegate* unmanaged<int, ulong, nuint, ZstdCompressionParameters> GetCParams;

    private ZstdLibrary(nint lib)
    {
        CreateCCtx = (delegate* unmanaged<nint>)Export(lib, "ZSTD_createCCtx");
        FreeCCtx = (delegate* unmanaged<nint, nuint>)Export(lib, "ZSTD_freeCCtx");
        CCtxSetParameter = (delegate* unmanaged<nint, int, int, nuint>)Export(lib, "ZSTD_CCtx_setParameter");
        CCtxGetParameter = (delegate* unmanaged<nint, int, int*, nuint>)Export(lib, "ZSTD_CCtx_getParameter");
        CCtxSetPledgedSrcSize = (delegate* unmanaged<nint, ulong, nuint>)Export(lib, "ZSTD_CCtx_setPledgedSrcSize");
        CompressStream2 = (delegate* unmanaged<nint, ZstdOutBuffer*, ZstdInBuffer*, int, nuint>)Export(lib, "ZSTD_compressStream2");
        CStreamOutSize = (delegate* unmanaged<nuint>)Export(lib, "ZSTD_CStreamOutSize");
        CreateDCtx = (delegate* unmanaged<nint>)Export(lib, "ZSTD_createDCtx");
        FreeDCtx = (delegate* unmanaged<nint, nuint>)Export(lib, "ZSTD_freeDCtx");
        DCtxSetParameter = (delegate* unmanaged<nint, int, int, nuint>)Export(lib, "ZSTD_DCtx_setParameter");
        DecompressStream = (delegate* unmanaged<nint, ZstdOutBuffer*, ZstdInBuffer*, nuint>)Export(lib, "ZSTD_decompressStream");
        DStreamInSize = (delegate* unmanaged<nuint>)Export(lib, "ZSTD_DStreamInSize");
        IsError = (delegate* unmanaged<nuint, uint>)Export(lib, "ZSTD_isError");
        GetErrorName = (delegate* unmanaged<nuint, nint>)Export(lib, "ZSTD_getErrorName");
        VersionNumber = (delegate* unmanaged<uint>)Export(lib, "ZSTD_versionNumber");
        GetCParams = NativeLibrary.TryGetExport(lib, "ZSTD_getCParams", out var getCParams)
            ? (delegate* unmanaged<int, ulong, nuint, ZstdCompressionParameters>)getCParams
            : null;
    }

    /// <summary>The process-wide library; a load failure is cached and rethrown on every use.</summary>
    public static ZstdLibrary Instance => Shared.Value;

    /// <summary>libzstd version as MAJOR*10000 + MINOR*100 + RELEASE (ZSTD_versionNumber).</summary>
    public static int Version => (int)Instance.VersionNumber();

    internal static ZstdLibrary Load(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, typeof(ZstdLibrary).Assembly, DllImportSearchPath.SafeDirectories, out var handle))
            {
                return new ZstdLibrary(handle);
            }
        }

        throw new ZstdException(ZstdException.LibraryMissingId, ErrorKind.NotInstalled,
            $"The zstd library could not be loaded (tried {string.Join(", ", names)}).",
            "Install it: Debian/Ubuntu 'apt-get install libzstd1', RHEL/Fedora 'dnf install libzstd'.");
    }

    public void Check(nuint code, string operation)
    {
        if (IsError(code) != 0)
        {
            var name = Marshal.PtrToStringUTF8(GetErrorName(code)) ?? "unknown error";
            throw new ZstdException(ZstdException.ErrorIdGeneric, ErrorKind.InvalidData, $"zstd {operation} failed: {name}");
        }
    }

    private static nint Export(nint lib, string name)
    {
        if (!NativeLibrary.TryGetExport(lib, name, out var address))
        {
            throw new ZstdException(ZstdException.LibraryMissingId, ErrorKind.NotInstalled,
                $"The zstd library found lacks {name}; version 1.4.0 or later is required.",
                "Install a current libzstd: Debian/Ubuntu 'libzstd1', RHEL/Fedora 'libzstd'.");
        }

        return address;
    }
}
