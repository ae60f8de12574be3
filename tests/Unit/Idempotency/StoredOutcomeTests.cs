using System.Text.Json;
using FestivalReservations.Core.Errors;
using FestivalReservations.Core.Idempotency;

namespace FestivalReservations.Tests.Unit.Idempotency;

public sealed class StoredOutcomeTests
{
    private static readonly DomainError Full = new(ErrorCode.SessionFull, "Only 2 seats left.");

    /// <summary>A row as written before stored enums were names: JSON web defaults, the code as a number.</summary>
    private static string OldRow(DomainError error) => JsonSerializer.Serialize(
        new StoredOutcome(null, error.Code, error.Detail, error.Errors?.ToDictionary(e => e.Key, e => e.Value)),
        new JsonSerializerOptions(JsonSerializerDefaults.Web));

    [Fact]
    public void Write_Refusal_ErrorCodeByNameNotNumber()
    {
        using var json = JsonDocument.Parse(StoredOutcome.Write(Full));

        var code = json.RootElement.GetProperty("code");
        Assert.Equal(JsonValueKind.String, code.ValueKind);
        Assert.Equal(nameof(ErrorCode.SessionFull), code.GetString());
    }

    [Fact]
    public void Read_WrittenRefusal_SameErrorReplayed()
    {
        var refusal = new DomainError(ErrorCode.ValidationFailed, "Check the fields.", new Dictionary<string, string[]> { ["partySize"] = ["1 to 4."] });

        var read = StoredOutcome.Read(StoredOutcome.Write(refusal), replayed: true);

        Assert.False(read.IsSuccess);
        Assert.Equal((ErrorCode.ValidationFailed, "Check the fields.", true), (read.Error.Code, read.Error.Detail, read.Error.Replayed));
        Assert.Equal(["1 to 4."], read.Error.Errors!["partySize"]);
    }

    [Fact]
    public void Read_OldRowWithNumericCode_StillReads()
    {
        var old = OldRow(Full);
        Assert.Contains($"\"code\":{(int)ErrorCode.SessionFull},", old, StringComparison.Ordinal);

        var read = StoredOutcome.Read(old, replayed: true);

        Assert.False(read.IsSuccess);
        Assert.Equal((ErrorCode.SessionFull, "Only 2 seats left."), (read.Error.Code, read.Error.Detail));
    }
}
