using System.Runtime.ExceptionServices;

namespace BinlogArchive.Core.Archiving;

/// <summary>
/// A bounded single-producer / single-consumer hand-off of filled buffers between two pipeline
/// stages on their own threads. Bounded so a fast stage waits for a slow one instead of renting
/// without limit (memory stays independent of file size). A stage's failure travels in-band, after
/// the buffers it did produce: the consumer handles those first and then rethrows the original
/// exception, so the first error in stream order wins, exactly as in a sequential read.
/// A ring of structs guarded by a monitor: no allocation per buffer.
/// </summary>
internal sealed class BufferQueue
{
    private readonly (byte[] Buffer, int Length)[] _ring;
    private int _head;
    private int _count;
    private bool _completed;
    private bool _abandoned;
    private ExceptionDispatchInfo? _fault;

    public BufferQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new (byte[], int)[capacity];
    }

    /// <summary>Hands a filled buffer on; blocks while the queue is full.</summary>
    /// <exception cref="OperationCanceledException">The consumer gave up (<see cref="Abandon"/>); the caller keeps the buffer.</exception>
    public void Add(byte[] buffer, int length)
    {
        lock (_ring)
        {
            while (_count == _ring.Length && !_abandoned)
            {
                Monitor.Wait(_ring);
            }

            if (_abandoned)
            {
                throw new OperationCanceledException("the consuming stage stopped");
            }

            _ring[(_head + _count) % _ring.Length] = (buffer, length);
            _count++;
            Monitor.PulseAll(_ring);
        }
    }

    /// <summary>
    /// The next buffer, blocking while none is ready; false once the producer completed and all was
    /// taken. Rethrows the producer's exception (with its original stack) after its last buffer.
    /// </summary>
    public bool TryTake(out byte[] buffer, out int length)
    {
        lock (_ring)
        {
            while (_count == 0 && !_completed)
            {
                Monitor.Wait(_ring);
            }

            if (_count == 0)
            {
                _fault?.Throw();
                buffer = [];
                length = 0;
                return false;
            }

            (buffer, length) = _ring[_head];
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
            Monitor.PulseAll(_ring);
            return true;
        }
    }

    /// <summary>The producer is done; with <paramref name="fault"/>, it failed after what it added.</summary>
    public void Complete(Exception? fault = null)
    {
        lock (_ring)
        {
            _completed = true;
            _fault = fault is null ? null : ExceptionDispatchInfo.Capture(fault);
            Monitor.PulseAll(_ring);
        }
    }

    /// <summary>
    /// The consumer stops: a blocked or later <see cref="Add"/> throws, and the buffers still queued
    /// are handed to <paramref name="release"/> (back to their pool).
    /// </summary>
    public void Abandon(Action<byte[]> release)
    {
        lock (_ring)
        {
            _abandoned = true;
            while (_count > 0)
            {
                release(_ring[_head].Buffer);
                _ring[_head] = default;
                _head = (_head + 1) % _ring.Length;
                _count--;
            }

            Monitor.PulseAll(_ring);
        }
    }
}
