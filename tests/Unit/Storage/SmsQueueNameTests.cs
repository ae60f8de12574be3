using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FestivalReservations.Core.Storage;
using Microsoft.Extensions.Options;
using Moq;

namespace FestivalReservations.Tests.Unit.Storage;

public sealed class SmsQueueNameTests
{
    [Fact]
    public void StorageTables_SmsQueueNameSet_UsesItAndItsPoisonQueue()
    {
        var queues = new Mock<QueueServiceClient>();
        queues.Setup(q => q.GetQueueClient(It.IsAny<string>())).Returns((string name) => new QueueClient("UseDevelopmentStorage=true", name));

        var tables = new StorageTables(new Mock<TableServiceClient>().Object, queues.Object,
            Options.Create(new StorageOptions { ConnectionString = "x", SmsQueueName = "sms-test-1" }));

        Assert.Equal("sms-test-1", tables.SmsQueue.Name);
        Assert.Equal("sms-test-1-poison", tables.SmsPoisonQueue.Name);
    }

    [Fact]
    public void StorageOptions_Default_IsTheSmsQueue()
    {
        Assert.Equal("sms", new StorageOptions().SmsQueueName);
        Assert.Equal("%Storage:SmsQueueName%", StorageTables.SmsQueueBinding);
    }

    [Theory]
    [InlineData("sms", true)]
    [InlineData("sms-0a1b2c3d4e5f", true)]
    [InlineData("SMS", false)]
    [InlineData("sm", false)]
    [InlineData("-sms", false)]
    [InlineData("sms-", false)]
    [InlineData("sms--x", false)]
    [InlineData("sms_x", false)]
    [InlineData("", false)]
    public void StorageOptions_SmsQueueName_AcceptsOnlyQueueNamesWithRoomForPoison(string name, bool valid)
    {
        var options = new StorageOptions { ConnectionString = "UseDevelopmentStorage=true", SmsQueueName = name };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.Equal(valid, errors.Count == 0);
    }

    [Fact]
    public void StorageOptions_SmsQueueName_TooLongForItsPoisonQueues_Refused()
    {
        var options = new StorageOptions { ConnectionString = "x", SmsQueueName = new string('a', 50) };

        var error = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Contains("Storage:SmsQueueName", error.ErrorMessage);
        Assert.Empty(new StorageOptions { ConnectionString = "x", SmsQueueName = new string('a', 49) }.Validate(new ValidationContext(options)));
    }
}
