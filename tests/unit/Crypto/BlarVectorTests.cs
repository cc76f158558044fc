using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BinlogArchive.Core.Crypto;
using BinlogArchive.Tests.Unit.Support;
using static BinlogArchive.Tests.Unit.Crypto.BlarTestKit;

namespace BinlogArchive.Tests.Unit.Crypto;

/// <summary>
/// Decodes archives by hand from ARCHITECTURE.md §4 — byte offsets, HKDF, nonce layout, AES-GCM —
/// without the reader, so the format is proven to follow the spec rather than merely to round-trip.
/// </summary>
public sealed class BlarVectorTests
{
    [Theory]
    [InlineData(BlarKeyMode.Direct)]
    [InlineData(BlarKeyMode.Envelope)]
    public void ArchiveDecodesPerSpecification(BlarKeyMode mode)
    {
        var keyBytes = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        using var key = new MasterKey(keyBytes);
        var plain = TestData.Random((2 * SmallChunk) + 10);
        var archive = Seal(plain, key, mode: mode, sourceName: "binlog.000123");
        var s = archive.AsSpan();

        // Bound part.
        Assert.Equal("BLAR"u8.ToArray(), s[..4].ToArray());
        Assert.Equal(1, s[4]);
        Assert.Equal(1, s[5]);                                                  // zstd
        Assert.Equal(1, s[6]);                                                  // AES-256-GCM + HKDF
        Assert.Equal((uint)SmallChunk, BinaryPrimitives.ReadUInt32BigEndian(s[7..]));
        var salt = s.Slice(11, 32).ToArray();
        var noncePrefix = s.Slice(43, 7).ToArray();
        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(s[50..]);
        Assert.Equal("binlog.000123", Encoding.UTF8.GetString(s.Slice(52, nameLength)));
        var boundEnd = 52 + nameLength;
        var bound = s[..boundEnd].ToArray();

        // Envelope.
        var envLength = (int)BinaryPrimitives.ReadUInt32BigEndian(s[boundEnd..]);
        var env = s.Slice(boundEnd + 4, envLength);
        var keyIdLength = BinaryPrimitives.ReadUInt16BigEndian(env);
        var keyId = Encoding.UTF8.GetString(env.Slice(2, keyIdLength));
        var wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(env[(2 + keyIdLength)..]);
        var wrapped = env.Slice(4 + keyIdLength, wrappedLength).ToArray();
        Assert.Equal(envLength, 4 + keyIdLength + wrappedLength);
        Assert.Equal("blk1-" + Convert.ToHexString(HMACSHA256.HashData(keyBytes, "BLAR1 key id"u8.ToArray()))[..16].ToLowerInvariant(), keyId);

        // Root key: the master key, or the DEK unwrapped with AES-256-GCM, AAD = key id.
        byte[] root;
        if (mode == BlarKeyMode.Direct)
        {
            Assert.Equal(0, wrappedLength);
            root = keyBytes;
        }
        else
        {
            Assert.Equal(60, wrappedLength);
            root = new byte[32];
            using var kek = new AesGcm(keyBytes, 16);
            kek.Decrypt(wrapped[..12], wrapped[12..44], wrapped[44..], root, Encoding.UTF8.GetBytes(keyId));
        }

        // File key = HKDF-SHA256(root, salt, "BLAR1 file key" || SHA-256(bound)).
        var info = "BLAR1 file key"u8.ToArray().Concat(SHA256.HashData(bound)).ToArray();
        var fileKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 32, salt, info);
        using var gcm = new AesGcm(fileKey, 16);

        var offset = boundEnd + 4 + envLength;
        var recovered = new MemoryStream();
        for (uint i = 0; i < 3; i++)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(s[offset..]);
            var last = i == 2;
            Assert.Equal(last ? 10 : SmallChunk, length);
            var nonce = noncePrefix.Concat(new byte[] { 0, 0, 0, (byte)i, last ? (byte)1 : (byte)0 }).ToArray();
            var chunk = new byte[length];
            gcm.Decrypt(nonce, s.Slice(offset + 4, length), s.Slice(offset + 4 + length, 16), chunk);
            recovered.Write(chunk);
            offset += 4 + length + 16;
        }

        Assert.Equal(archive.Length, offset);
        Assert.Equal(plain, recovered.ToArray());

        // Sidecar MAC key = HKDF-SHA256(root, salt, "BLAR1 sidecar mac"); text per §5.
        string?[] values = ["binlog.000123", "123", "10", null, "1", null, "a", "b", "4", "10", "", "", "f.zst.enc", "99", "ff", keyId];
        var macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 32, salt, "BLAR1 sidecar mac"u8.ToArray());
        var text = "BLAR1-sidecar-v1\n" + string.Concat(values.Select(v => v + "\n"));
        var expected = Convert.ToHexString(HMACSHA256.HashData(macKey, Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
        Assert.Equal(expected, SidecarMac.Compute(root, salt, values));
        var header = BlarHeader.ReadFrom(new MemoryStream(archive));
        using var mac = SidecarMacKey.ForArchive(header, new KeyRing(key));
        Assert.Equal(expected, mac.Compute(values));
        using var reader = new BlarReader(new MemoryStream(archive), key);
        using var readerMac = reader.CreateSidecarMacKey();
        Assert.Equal(expected, readerMac.Compute(values));
    }

    [Fact]
    public void EmptyInputIsOneEmptyLastChunk()
    {
        using var key = MasterKey.Generate();
        var archive = Seal([], key, mode: BlarKeyMode.Direct);
        var header = HeaderLength(archive);
        Assert.Equal(header + 4 + 16, archive.Length);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(archive.AsSpan(header)));
        Assert.Empty(Open(archive, key));
    }

    [Fact]
    public void KnownKeyIdVector()
    {
        // Computed independently: HMAC-SHA256(key = 32 zero bytes, "BLAR1 key id"), first 8 bytes in hex.
        var zero = new byte[32];
        var expected = "blk1-" + Convert.ToHexString(HMACSHA256.HashData(zero, Encoding.ASCII.GetBytes("BLAR1 key id")), 0, 8).ToLowerInvariant();
        Assert.Equal(expected, KeyId.Compute(zero));
        using var key = new MasterKey(zero);
        Assert.Equal(expected, key.Id);
        Assert.Equal(21, key.Id.Length);
    }
}
