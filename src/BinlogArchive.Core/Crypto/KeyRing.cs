namespace BinlogArchive.Core.Crypto;

/// <summary>
/// The master keys an operator holds, by key id. The first is current (writers use it); the
/// others keep archives written before a rotation readable. Does not own the keys.
/// </summary>
public sealed class KeyRing
{
    private readonly List<MasterKey> _keys = [];

    public KeyRing(params MasterKey[] keys)
    {
        foreach (var key in keys)
        {
            Add(key);
        }
    }

    /// <summary>The key new archives are written under.</summary>
    public MasterKey Current => _keys.Count > 0 ? _keys[0] : throw new InvalidOperationException("the key ring is empty");

    public IReadOnlyList<string> KeyIds => _keys.ConvertAll(k => k.Id);

    public int Count => _keys.Count;

    /// <summary>Adds a key; the first one added becomes <see cref="Current"/>. Duplicates are ignored.</summary>
    public void Add(MasterKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_keys.Exists(k => k.Id == key.Id))
        {
            _keys.Add(key);
        }
    }

    public bool TryGet(string keyId, out MasterKey key)
    {
        var found = _keys.Find(k => string.Equals(k.Id, keyId, StringComparison.Ordinal));
        key = found!;
        return found is not null;
    }
}
