using System.Net;
using FestivalReservations.Core.Abuse;
using FestivalReservations.Functions.Http;
using Microsoft.AspNetCore.Http;

namespace FestivalReservations.Tests.Unit.Abuse;

public sealed class ClientAddressTests
{
    private static readonly IPAddress Connection = IPAddress.Parse("10.1.2.3");

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData(" 203.0.113.7 ", "203.0.113.7")]
    [InlineData("203.0.113.7:55123", "203.0.113.7")]
    [InlineData("203.0.113.7:0", "203.0.113.7")]
    [InlineData("2001:db8:1:2::17", "2001:db8:1:2::17")]
    [InlineData("[2001:db8:1:2::17]", "2001:db8:1:2::17")]
    [InlineData("[2001:db8:1:2::17]:443", "2001:db8:1:2::17")]
    [InlineData("[::ffff:203.0.113.7]:80", "203.0.113.7")]
    [InlineData("fe80::1%eth0", "fe80::1")]
    public void ParseEntry_AddressWithOrWithoutPort_TheAddress(string entry, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), ClientAddress.ParseEntry(entry));

    [Theory]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("203.0.113.7:65536")]
    [InlineData("203.0.113.7:")]
    [InlineData("203.0.113.7:12ab")]
    [InlineData("203.0.113")]
    [InlineData("1")]
    [InlineData("0x7f.1")]
    [InlineData("[203.0.113.7]:80")]
    [InlineData("[2001:db8::1")]
    [InlineData("[2001:db8::1]x")]
    [InlineData("2001:db8::1:443:")]
    [InlineData("evil.example")]
    [InlineData("203.0.113.7, 198.51.100.1")]
    public void ParseEntry_NotAnAddress_Null(string entry) => Assert.Null(ClientAddress.ParseEntry(entry));

    [Fact]
    public void ParseEntry_LongerThanAnyAddress_Null() =>
        Assert.Null(ClientAddress.ParseEntry(new string('1', ClientAddress.MaxEntryLength + 1)));

    [Fact]
    public void Pick_ZeroTrustedHops_IgnoresTheHeader_TheConnection() =>
        Assert.Equal(Connection, ClientAddress.Pick(["198.51.100.9", "203.0.113.7:443"], Connection, trustedHops: 0));

    [Theory]
    [InlineData(1, "203.0.113.7")]
    [InlineData(2, "198.51.100.9")]
    [InlineData(3, "192.0.2.1")]
    public void Pick_NTrustedHops_TheNthEntryFromTheEnd(int hops, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), ClientAddress.Pick(["192.0.2.1, 198.51.100.9", "203.0.113.7:443"], Connection, hops));

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("203.0.113.7, garbage")]
    public void Pick_TrustedEntryMissingOrNoAddress_TheConnection(string header) =>
        Assert.Equal(Connection, ClientAddress.Pick([header], Connection, trustedHops: 1));

    [Fact]
    public void Pick_FewerEntriesThanTrustedHops_TheConnection() =>
        Assert.Equal(Connection, ClientAddress.Pick(["203.0.113.7"], Connection, trustedHops: 2));

    [Fact]
    public void KeyOf_Ipv6_GroupedByItsSlash64()
    {
        var keys = new[] { "2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2:abcd::9" }
            .Select(a => ClientAddress.KeyOf(IPAddress.Parse(a))).Distinct().ToList();

        Assert.Equal(["2001:db8:1:2::/64"], keys);
        Assert.NotEqual(keys[0], ClientAddress.KeyOf(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void KeyOf_Ipv4_AsIs_MappedIpv6AsIpv4_NoneUnknown()
    {
        Assert.Equal("203.0.113.7", ClientAddress.KeyOf(IPAddress.Parse("203.0.113.7")));
        Assert.Equal("203.0.113.7", ClientAddress.KeyOf(IPAddress.Parse("::ffff:203.0.113.7")));
        Assert.NotEqual(ClientAddress.KeyOf(IPAddress.Parse("203.0.113.7")), ClientAddress.KeyOf(IPAddress.Parse("203.0.113.8")));
        Assert.Equal(ClientAddress.Unknown, ClientAddress.KeyOf(null));
    }

    [Fact]
    public void ClientOf_ClientSentForwardedFor_IgnoredWithZeroHops_UsedWithOne()
    {
        var request = new DefaultHttpContext().Request;
        request.HttpContext.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.20");
        request.Headers[ClientLimits.ForwardedForHeader] = "203.0.113.7:50000";

        Assert.Equal("198.51.100.20", ClientLimits.ClientOf(request, trustedHops: 0));
        Assert.Equal("203.0.113.7", ClientLimits.ClientOf(request, trustedHops: 1));
    }
}
