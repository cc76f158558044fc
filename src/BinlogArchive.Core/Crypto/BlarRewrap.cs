using System.Security.Cryptography;
using BinlogArchive.Core.Errors;

namespace BinlogArchive.Core.Crypto;

/// <summary>
/// Key rotation without re-encryption: copies an envelope-mode archive, replacing only the key
/// envelope with the same DEK wrapped under a new KEK. The bound part and every chunk are copied
/// byte for byte, so the file key and all tags stay valid.
/// </summary>
public static class BlarRewrap
{
    /// <returns>The new header. The sidecar's key_id (and so its MAC) must be updated by the caller.</returns>
    public static BlarHeader Rewrap(Stream input, Stream output, KeyRing oldKeys, MasterKey newKek, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(oldKeys);
        ArgumentNullException.ThrowIfNull(newKek);
        target ??= (input as FileStream)?.Name;
        var header = BlarHeader.ReadFrom(input, target);
        if (header.KeyMode != BlarKeyMode.Envelope)
        {
            throw new BinlogArchiveException("BlarRewrapDirectMode", ErrorKind.InvalidArgument,
                "archive uses direct-key mode: its data is encrypted under the master key itself, so it cannot be re-wrapped", target,
                "Re-encrypt it instead (decrypt with the old key, protect again with the new one).");
        }

        Span<byte> dek = stackalloc byte[BlarFormat.KeyLength];
        try
        {
            header.ResolveRootKey(oldKeys, dek, target);
            var rewrapped = header with
            {
                KeyId = newKek.Id,
                WrappedDek = BlarEnvelope.Wrap(newKek.Bytes, newKek.Id, dek),
            };
            output.Write(rewrapped.Serialize());
            input.CopyTo(output, 1 << 20);
            output.Flush();
            return rewrapped;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dek);
        }
    }
}
