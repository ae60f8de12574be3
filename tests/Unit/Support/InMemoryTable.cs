using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Moq;

namespace FestivalReservations.Tests.Unit.Support;

/// <summary>
/// A mocked TableClient whose members act on an in-memory set of rows: the subset of Table Storage
/// the app uses (add, get, update, upsert, delete, filters on PartitionKey/RowKey, entity group
/// transactions with ETags). Tests may add their own Setup on <see cref="Mock"/> to inject failures.
/// </summary>
public sealed partial class InMemoryTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Pk, string Rk), TableEntity> _rows = [];
    private readonly List<IReadOnlyList<TableTransactionAction>> _transactions = [];
    private readonly Queue<Exception> _submitFailures = new();
    private readonly Queue<Exception> _addFailures = new();
    private readonly Queue<Exception> _lostSubmitReplies = new();
    private readonly Queue<Exception> _lostAddReplies = new();
    private readonly Queue<Exception> _readFailures = new();
    private int _version;

    public InMemoryTable(string name)
    {
        Name = name;
        Mock = new Mock<TableClient>();
        Mock.SetupGet(t => t.Name).Returns(name);
        Mock.Setup(t => t.AddEntityAsync(It.IsAny<TableEntity>(), It.IsAny<CancellationToken>()))
            .Returns((TableEntity e, CancellationToken _) => Run(() =>
            {
                if (_addFailures.TryDequeue(out var failure))
                {
                    throw failure;
                }

                if (_rows.ContainsKey(Key(e)))
                {
                    throw new RequestFailedException(409, "The specified entity already exists.", "EntityAlreadyExists", null);
                }

                var etag = Put(e);
                return _lostAddReplies.TryDequeue(out var lost) ? throw lost : AzureFakes.RawResponse(204, etag);
            }));
        Mock.Setup(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Returns((string pk, string rk, IEnumerable<string> _, CancellationToken _) => AfterReadGate(() => Then(Run(() =>
                _readFailures.TryDequeue(out var failure) ? throw failure
                : Find(pk, rk) is { } row ? AzureFakes.Found(row) : AzureFakes.Missing<TableEntity>()), pk, rk)));
        Mock.Setup(t => t.UpdateEntityAsync(It.IsAny<TableEntity>(), It.IsAny<ETag>(), It.IsAny<TableUpdateMode>(), It.IsAny<CancellationToken>()))
            .Returns((TableEntity e, ETag ifMatch, TableUpdateMode mode, CancellationToken _) => Run(() =>
            {
                if (Check(TableTransactionActionType.UpdateReplace, e, ifMatch) is { } status)
                {
                    throw new RequestFailedException(status, $"Update failed with {status}.");
                }

                return AzureFakes.RawResponse(204, Write(e, mode == TableUpdateMode.Merge));
            }));
        Mock.Setup(t => t.UpsertEntityAsync(It.IsAny<TableEntity>(), It.IsAny<TableUpdateMode>(), It.IsAny<CancellationToken>()))
            .Returns((TableEntity e, TableUpdateMode mode, CancellationToken _) => Run(() =>
                AzureFakes.RawResponse(204, Write(e, mode == TableUpdateMode.Merge))));
        Mock.Setup(t => t.DeleteEntityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<ETag>(), It.IsAny<CancellationToken>()))
            .Returns((string pk, string rk, ETag ifMatch, CancellationToken _) => Run(() =>
            {
                if (Find(pk, rk) is { } row && !Matches(row, ifMatch))
                {
                    throw new RequestFailedException(412, "The update condition specified in the request was not satisfied.");
                }

                _rows.Remove((pk, rk));
                return AzureFakes.RawResponse(204);
            }));
        Mock.Setup(t => t.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Returns((string filter, int? _, IEnumerable<string> _, CancellationToken _) =>
            {
                lock (_gate)
                {
                    return AzureFakes.Pageable(Query(filter));
                }
            });
        Mock.Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
            .Returns((IEnumerable<TableTransactionAction> actions, CancellationToken _) => Run(() => Submit(actions.ToList())));
    }

    public string Name { get; }

    public Mock<TableClient> Mock { get; }

    /// <summary>Every transaction that committed, in order.</summary>
    public IReadOnlyList<IReadOnlyList<TableTransactionAction>> Transactions
    {
        get
        {
            lock (_gate)
            {
                return [.. _transactions];
            }
        }
    }

    /// <summary>Called (under the table's lock) after each transaction commits: a test's way to let something race the next one.</summary>
    public Action<IReadOnlyList<TableTransactionAction>>? Committed { get; set; }

    /// <summary>The next transaction fails with this exception (and changes nothing); later ones run normally.</summary>
    public void FailNextSubmit(Exception exception)
    {
        lock (_gate)
        {
            _submitFailures.Enqueue(exception);
        }
    }

    /// <summary>
    /// The next transaction commits and its reply is lost: the caller sees this exception instead
    /// (what the SDK reports when its retry meets the first try's write, 412 or 409, or times out).
    /// </summary>
    public void LoseNextSubmitReply(Exception exception)
    {
        lock (_gate)
        {
            _lostSubmitReplies.Enqueue(exception);
        }
    }

    /// <summary>The next single add is stored and its reply lost: the caller sees this exception (409 from the SDK's retry).</summary>
    public void LoseNextAddReply(Exception exception)
    {
        lock (_gate)
        {
            _lostAddReplies.Enqueue(exception);
        }
    }

    /// <summary>The next point read fails with this exception.</summary>
    public void FailNextRead(Exception exception)
    {
        lock (_gate)
        {
            _readFailures.Enqueue(exception);
        }
    }

    /// <summary>The next single add fails with this exception (and adds nothing); later ones run normally.</summary>
    public void FailNextAdd(Exception exception)
    {
        lock (_gate)
        {
            _addFailures.Enqueue(exception);
        }
    }

    public void Seed(TableEntity entity)
    {
        lock (_gate)
        {
            Put(entity);
        }
    }

    public TableEntity? Get(string pk, string rk)
    {
        lock (_gate)
        {
            return Find(pk, rk);
        }
    }

    /// <summary>The reservation rows of a session: under their code, or in their phone's row.</summary>
    public IReadOnlyList<TableEntity> ReservationRows(string pk) =>
        [.. Rows(pk, FestivalReservations.Core.Storage.SessionRows.ReservationPrefix),
            .. Rows(pk, FestivalReservations.Core.Storage.SessionRows.PhoneMarkerPrefix).Where(FestivalReservations.Core.Storage.SessionEntities.IsReservation)];

    /// <summary>The reservation with this stored code, wherever its row is.</summary>
    public TableEntity? Reservation(string pk, string code) => ReservationRows(pk).FirstOrDefault(r => r.GetString("Code") == code);

    public IReadOnlyList<TableEntity> Rows(string? pk = null, string? rowKeyPrefix = null)
    {
        lock (_gate)
        {
            return _rows.Values
                .Where(r => (pk is null || r.PartitionKey == pk) && (rowKeyPrefix is null || r.RowKey.StartsWith(rowKeyPrefix, StringComparison.Ordinal)))
                .OrderBy(r => r.PartitionKey, StringComparer.Ordinal).ThenBy(r => r.RowKey, StringComparer.Ordinal)
                .Select(Copy).ToList();
        }
    }

    /// <summary>Runs after each single-row read has read the table (pk, rk): a write that lands right behind a read.</summary>
    public Action<string, string>? AfterRead { get; set; }

    private Task<T> Then<T>(Task<T> read, string pk, string rk)
    {
        AfterRead?.Invoke(pk, rk);
        return read;
    }

    public void Remove(string pk, string rk)
    {
        lock (_gate)
        {
            _rows.Remove((pk, rk));
        }
    }

    /// <summary>While set, single-row reads wait for it and then read the table as it is then (a slow read in flight).</summary>
    public Task? ReadGate { get; set; }

    private Task<T> AfterReadGate<T>(Func<Task<T>> read) =>
        ReadGate is { } gate ? gate.ContinueWith(_ => read(), TaskScheduler.Default).Unwrap() : read();

    private Task<T> Run<T>(Func<T> body)
    {
        lock (_gate)
        {
            return Task.FromResult(body());
        }
    }

    private Response<IReadOnlyList<Response>> Submit(List<TableTransactionAction> actions)
    {
        if (_submitFailures.TryDequeue(out var failure))
        {
            throw failure;
        }

        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            if (Check(action.ActionType, action.Entity, action.ETag) is { } status)
            {
                throw AzureFakes.TransactionFailed(status, i);
            }
        }

        foreach (var action in actions)
        {
            switch (action.ActionType)
            {
                case TableTransactionActionType.Delete:
                    _rows.Remove(Key(action.Entity));
                    break;
                case TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpsertMerge:
                    Write(action.Entity, merge: true);
                    break;
                default:
                    Write(action.Entity, merge: false);
                    break;
            }
        }

        _transactions.Add(actions);
        Committed?.Invoke(actions);
        if (_lostSubmitReplies.TryDequeue(out var lost))
        {
            throw lost;
        }

        return Response.FromValue<IReadOnlyList<Response>>(actions.Select(_ => AzureFakes.RawResponse(204)).ToList(), AzureFakes.RawResponse(202));
    }

    /// <summary>The status Table Storage would fail this operation with, or null.</summary>
    private int? Check(TableTransactionActionType type, ITableEntity entity, ETag ifMatch)
    {
        var existing = Find(entity.PartitionKey, entity.RowKey);
        return type switch
        {
            TableTransactionActionType.Add when existing is not null => 409,
            TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpdateReplace or TableTransactionActionType.Delete
                when existing is null => 404,
            TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpdateReplace or TableTransactionActionType.Delete
                when !Matches(existing!, ifMatch) => 412,
            _ => null,
        };
    }

    private static bool Matches(TableEntity row, ETag ifMatch) => ifMatch == default || ifMatch == ETag.All || ifMatch == row.ETag;

    private ETag Write(ITableEntity entity, bool merge)
    {
        var incoming = ToTableEntity(entity);
        if (merge && Find(incoming.PartitionKey, incoming.RowKey) is { } existing)
        {
            foreach (var (name, value) in incoming)
            {
                existing[name] = value;
            }

            incoming = existing;
        }

        return Put(incoming);
    }

    private ETag Put(ITableEntity entity)
    {
        var row = Copy(ToTableEntity(entity));
        foreach (var (name, value) in row.ToList())
        {
            // Table Storage keeps Edm.DateTime in UTC: a DateTimeOffset comes back with offset zero.
            if (value is DateTimeOffset instant && name != "Timestamp")
            {
                row[name] = instant.ToUniversalTime();
            }
        }

        row.ETag = new ETag($"W/\"datetime'{++_version}'\"");
        row.Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(_version);
        _rows[Key(row)] = row;
        return row.ETag;
    }

    private TableEntity? Find(string pk, string rk) => _rows.TryGetValue((pk, rk), out var row) ? Copy(row) : null;

    private List<TableEntity> Query(string? filter)
    {
        filter ??= "";
        var pk = PartitionEq().Match(filter) is { Success: true } p ? Unquote(p.Groups[1].Value) : null;
        var rowKeys = RowEq().Matches(filter).Select(m => Unquote(m.Groups[1].Value)).ToHashSet();
        var upTo = PartitionLe().Match(filter) is { Success: true } u ? Unquote(u.Groups[1].Value) : null;
        var from = RowGe().Match(filter) is { Success: true } g ? Unquote(g.Groups[1].Value) : null;
        var to = RowLt().Match(filter) is { Success: true } l ? Unquote(l.Groups[1].Value) : null;
        return _rows.Values
            .Where(r => pk is null || r.PartitionKey == pk)
            .Where(r => upTo is null || string.CompareOrdinal(r.PartitionKey, upTo) <= 0)
            .Where(r => rowKeys.Count == 0 || rowKeys.Contains(r.RowKey))
            .Where(r => from is null || string.CompareOrdinal(r.RowKey, from) >= 0)
            .Where(r => to is null || string.CompareOrdinal(r.RowKey, to) < 0)
            .OrderBy(r => r.PartitionKey, StringComparer.Ordinal).ThenBy(r => r.RowKey, StringComparer.Ordinal)
            .Select(Copy)
            .ToList();
    }

    private static string Unquote(string value) => value.Replace("''", "'", StringComparison.Ordinal);

    private static (string, string) Key(ITableEntity e) => (e.PartitionKey, e.RowKey);

    private static TableEntity ToTableEntity(ITableEntity entity) =>
        entity as TableEntity ?? throw new NotSupportedException($"Only TableEntity rows are supported, not {entity.GetType().Name}.");

    private static TableEntity Copy(TableEntity row)
    {
        var copy = new TableEntity(new Dictionary<string, object>(row));
        copy.ETag = row.ETag;
        copy.Timestamp = row.Timestamp;
        return copy;
    }

    [GeneratedRegex("PartitionKey eq '((?:[^']|'')*)'")]
    private static partial Regex PartitionEq();

    [GeneratedRegex("PartitionKey le '((?:[^']|'')*)'")]
    private static partial Regex PartitionLe();

    [GeneratedRegex("RowKey eq '((?:[^']|'')*)'")]
    private static partial Regex RowEq();

    [GeneratedRegex("RowKey ge '((?:[^']|'')*)'")]
    private static partial Regex RowGe();

    [GeneratedRegex("RowKey lt '((?:[^']|'')*)'")]
    private static partial Regex RowLt();
}
