using System.Text.Json;
using FestivalReservations.Core.Json;
using FestivalReservations.Core.Notifications;

namespace FestivalReservations.Tests.Unit.Notifications;

public sealed class SmsQueueMessageTests
{
    private static readonly DateTimeOffset At = new(2024, 9, 1, 10, 0, 0, TimeSpan.FromHours(9));

    private static OutboxMessage Message(int i) => new($"m{i}", "mask-parade.20240908.1400", $"K7M2QX{i:D2}", SmsKind.Confirmed, At);

    [Fact]
    public void Write_OneMessage_TheBareRecordAsBefore()
    {
        var body = SmsQueueMessage.Write([Message(1)]);

        Assert.Equal(JsonSerializer.Serialize(Message(1), JsonPolicies.Stored), body);
        Assert.Equal([Message(1)], SmsQueueMessage.Read(body)!);
    }

    [Fact]
    public void Write_SeveralMessages_OneBodyThatReadsBackInOrder()
    {
        var messages = Enumerable.Range(0, SmsQueueMessage.MaxPerMessage).Select(Message).ToList();

        var body = SmsQueueMessage.Write(messages);

        Assert.StartsWith("{\"messages\":[", body, StringComparison.Ordinal);
        Assert.Equal(messages, SmsQueueMessage.Read(body)!);
        // Base64 on the queue: far below the 64 KiB message limit.
        Assert.True(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(body)).Length < 64 * 1024 / 4);
    }

    [Fact]
    public void Write_NoneOrTooMany_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SmsQueueMessage.Write([]));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SmsQueueMessage.Write(Enumerable.Range(0, SmsQueueMessage.MaxPerMessage + 1).Select(Message).ToList()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"messages\":[]}")]
    [InlineData("{\"messages\":{}}")]
    public void Read_NotAnSmsRequest_Null(string body)
    {
        Assert.Null(SmsQueueMessage.Read(body));
    }

    [Fact]
    public void Read_BatchWithAJunkEntry_ThatEntryNullTheOthersRead()
    {
        var body = "{\"messages\":[" + JsonSerializer.Serialize(Message(1), JsonPolicies.Stored) + ",42]}";

        var read = SmsQueueMessage.Read(body)!;

        Assert.Equal(Message(1), read[0]);
        Assert.Null(read[1]);
    }
}
