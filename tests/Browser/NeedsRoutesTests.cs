using System.Reflection;

namespace FestivalReservations.Tests.Browser;

public sealed class NeedsRoutesTests
{
    private static readonly MethodInfo AnyTest = typeof(NeedsRoutesTests).GetMethod(nameof(Before_AMissingRoute_FailsTheTestNamingIt))!;

    [Fact]
    public void Before_AMissingRoute_FailsTheTestNamingIt()
    {
        var needs = new NeedsRoutesAttribute("api/staff/capacity", "api/staff/no-such/{id}/route");

        var error = Assert.Throws<InvalidOperationException>(() => needs.Before(AnyTest));

        Assert.Contains("api/staff/no-such/{id}/route", error.Message);
        Assert.DoesNotContain("api/staff/capacity", error.Message);
    }

    [Fact]
    public void Before_RoutesThatExist_WhateverTheirParameterNames_LetTheTestRun()
    {
        var needs = new NeedsRoutesAttribute("api/staff/capacity", "api/staff/sms/{id}/retry", "/api/staff/sessions/{x}/reservations/");

        needs.Before(AnyTest);

        Assert.Empty(needs.Missing);
    }
}
