using FestivalReservations.Core.Notifications;
using FestivalReservations.Core.Notifications.Sending;
using FestivalReservations.Core.Phones;
using FestivalReservations.Tests.EndToEnd;
using FestivalReservations.Tests.Infrastructure;
using FestivalReservations.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Tests.Browser;

/// <summary>
/// A visitor whose browser asks for Chinese or Japanese (Accept-Language) gets the page in that
/// language, books there, and gets the confirmation SMS in it, as Korean carriers deliver it.
/// </summary>
public abstract class ForeignVisitorTests(AzuriteFixture azurite, BrowserFixture browser) : BrowserTest(azurite, browser)
{
    private readonly RecordingSmsSender _sender = new();

    protected abstract string Language { get; }

    protected abstract string HtmlLang { get; }

    protected abstract string SessionId { get; }

    /// <summary>Texts the page, the confirmation and the SMS must show in this language.</summary>
    protected abstract (string Theme, string Title, string Confirmed, string Sms) Expected { get; }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ISmsSender>(_sender);

    protected async Task BooksInItsLanguageAndGetsItsSmsAsync()
    {
        var phone = RunningApp.NewPhone();
        await OpenAsync("/");

        Assert.Equal(HtmlLang, await Page.GetAttributeAsync("html", "lang"));
        Assert.Equal("true", await Page.GetAttributeAsync($"#langs [data-lang='{Language}']", "aria-current"));
        Assert.Equal(Expected.Theme, await Page.TextContentAsync("section[data-theme='health'] h2"));
        Assert.Contains(Expected.Title, await Page.TextContentAsync($"article[data-program-id='{SessionId.Split('.')[0]}'] h3"));
        await Axe.AssertNoViolationsAsync(Page, $"programs ({Language}, from Accept-Language)");
        await ScreenshotAsync($"visitor-{Language}-programs");

        await Page.ClickAsync(Slot(SessionId));
        await Page.FillAsync("#name", "Li Wei");
        await Page.FillAsync("#phone", phone);
        await Page.SelectOptionAsync("#party", "2");
        await Page.ClickAsync("#submit");
        var code = await WaitForConfirmationAsync();
        Assert.Equal(Expected.Confirmed, await Page.TextContentAsync("#done-status"));
        await Axe.AssertNoViolationsAsync(Page, $"confirmation ({Language})");
        await ScreenshotAsync($"visitor-{Language}-confirmation");

        var reservation = await LookupAsync(code, phone);
        Assert.Equal(Language, reservation.GetProperty("language").GetString());

        var e164 = KoreanMobile.TryParse(phone, out var mobile) ? mobile.E164 : phone;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        SmsSendRequest? sms;
        while ((sms = _sender.Sent.FirstOrDefault(m => m.To == e164)) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.NotNull(sms);
        Assert.Equal(Language, sms.Language);
        Assert.Contains(Expected.Sms, sms.Text);
        Assert.Contains(code, sms.Text);
        Assert.DoesNotContain("Li Wei", sms.Text);
        Assert.True(CarrierText.CanCarry(sms.Text), $"outside EUC-KR: {CarrierText.Uncarriable(sms.Text)}");
        Assert.True(SmsTemplates.Fits(sms.Text, Language), sms.Text);
        AssertNoScriptErrors();
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class ChineseVisitorTests(AzuriteFixture azurite, BrowserFixture browser)
    : ForeignVisitorTests(azurite, browser), IClassFixture<BrowserFixture>
{
    protected override string Locale => "zh-CN";

    protected override string Language => "zh";

    protected override string HtmlLang => "zh-Hans";

    protected override string SessionId => "bridge-walking-race.20240929.1600";

    // The Chinese title is not in EUC-KR (潜, 桥, 赛): the SMS carries the English one.
    protected override (string Theme, string Title, string Confirmed, string Sms) Expected =>
        ("健康", "潜水桥健走大赛", "预约成功", "預約成功：Jamsugyo Walking Race，9月29日(周日) 16:00，2人。預約號碼");

    [Fact]
    public Task A_visitor_whose_browser_asks_for_Chinese_books_in_Chinese_and_gets_a_Chinese_SMS() =>
        BooksInItsLanguageAndGetsItsSmsAsync();
}

[Collection(AzuriteCollection.Name)]
public sealed class JapaneseVisitorTests(AzuriteFixture azurite, BrowserFixture browser)
    : ForeignVisitorTests(azurite, browser), IClassFixture<BrowserFixture>
{
    protected override string Locale => "ja-JP";

    protected override string Language => "ja";

    protected override string HtmlLang => "ja";

    protected override string SessionId => "bridge-yoga.20240929.1800";

    protected override (string Theme, string Title, string Confirmed, string Sms) Expected =>
        ("健康", "橋の上のヨガ", "ご予約が確定しました", "予約確定：橋の上のヨガ、9月29日(日) 18:00、2名。予約ID");

    [Fact]
    public Task A_visitor_whose_browser_asks_for_Japanese_books_in_Japanese_and_gets_a_Japanese_SMS() =>
        BooksInItsLanguageAndGetsItsSmsAsync();
}
