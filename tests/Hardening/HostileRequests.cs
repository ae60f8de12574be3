using System.Text;

namespace FestivalReservations.Tests.Hardening;

/// <summary>One hostile request: what is sent, and a name for the report.</summary>
public sealed record HostileRequest(string Name, HttpMethod Method, string Path, string? Body = null,
    string? ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    public override string ToString() => Name;
}

/// <summary>
/// The corpus: malformed JSON, wrong types, huge and negative numbers, control, direction and
/// emoji characters, OData and CSV injection, path traversal in ids, wrong content types, unknown
/// fields, oversized bodies — against every visitor route.
/// </summary>
public static class HostileRequests
{
    public const string Session = "picnic-zone.20240908.1300";
    private const string Phone = "010-4321-8765";

    public static IEnumerable<HostileRequest> All()
    {
        var create = $"api/sessions/{Session}/reservations";
        string Body(string name = "Kim", string phone = Phone, string party = "1", string extra = "") =>
            $"{{\"name\":{name.Quote()},\"phone\":{phone.Quote()},\"partySize\":{party}{extra}}}";

        // Malformed JSON
        string[] malformed = ["{", "}", "{\"name\":}", "[]", "null", "\"text\"", "123", "{\"name\":\"a\",}", "{'name':'a'}", "\u0000",
            Body() + "}", "{\"name\":\"Kim\" \"phone\":\"x\"}", "{\"name\":\"\\ud800\",\"phone\":\"010-1234-5678\",\"partySize\":1}",
            new string('[', 5000), "{\"name\":\"Kim\",\"phone\":\"010-1234-5678\",\"partySize\":1,\"name\":\"Lee\"}x"];
        foreach (var (body, i) in malformed.Select((b, i) => (b, i)))
        {
            yield return new($"malformed json {i}", HttpMethod.Post, create, body);
            yield return new($"malformed json lookup {i}", HttpMethod.Post, "api/reservations/ABCD-EFGH/lookup", body);
        }

        // Wrong types
        string[] wrongTypes = ["{\"name\":\"Kim\",\"phone\":\"010-4321-8765\",\"partySize\":\"2\"}", Body(party: "2.5"), Body(party: "true"),
            "{\"name\":123,\"phone\":\"010-4321-8765\",\"partySize\":1}", "{\"name\":\"Kim\",\"phone\":1043218765,\"partySize\":1}",
            Body(extra: ",\"language\":1"), Body(extra: ",\"joinWaitlist\":\"yes\""), "{\"name\":[\"a\"],\"phone\":\"010-4321-8765\",\"partySize\":1}",
            "{\"name\":{\"ko\":\"김\"},\"phone\":\"010-4321-8765\",\"partySize\":1}", Body(party: "null")];
        foreach (var (body, i) in wrongTypes.Select((b, i) => (b, i)))
        {
            yield return new($"wrong type {i}", HttpMethod.Post, create, body);
        }

        yield return new("phone as number in lookup", HttpMethod.Post, "api/reservations/ABCD-EFGH/lookup", "{\"phone\":1043218765}");
        yield return new("phone as number in cancel", HttpMethod.Post, "api/reservations/ABCD-EFGH/cancel", "{\"phone\":1043218765}");

        // Huge, negative and zero numbers
        foreach (var party in new[] { "99999999999999999999", "1e309", "-1", "0", "2147483648", "-2147483649", "7", "1e2", "0x10", "NaN" })
        {
            yield return new($"party size {party}", HttpMethod.Post, create, Body(party: party));
        }

        // Names: control, direction, emoji, length, markup, CSV and formula injection
        foreach (var name in new[] { "\u0007Kim", "Kim\u0000", "\u202Eevil", "Kim\u200F", "😀", "김😀", new string('가', 41), "", "   ",
                     "=cmd|' /C calc'!A0", "+SUM(1,2)", "@SUM(A1)", "<script>alert(1)</script>", "Kim\nLee", "Kim\tLee", "\uFEFFKim" })
        {
            yield return new($"name {Escape(name)}", HttpMethod.Post, create, Body(name: name));
        }

        // Phones that are not Korean mobiles, including OData injection attempts
        foreach (var phone in new[] { "02-312-3456", "+1 202 555 0100", "010-12-34", "' or 1 eq 1", "010-4321-8765' or PartitionKey ne '",
                     "", "070-1234-5678", new string('1', 40), "+82 2 312 3456", "phone" })
        {
            yield return new($"phone {Escape(phone)}", HttpMethod.Post, create, Body(phone: phone));
            yield return new($"lookup phone {Escape(phone)}", HttpMethod.Post, "api/reservations/ABCD-EFGH/lookup", $"{{\"phone\":{phone.Quote()}}}");
        }

        // Other fields
        yield return new("language jp", HttpMethod.Post, create, Body(extra: ",\"language\":\"jp\""));
        yield return new("language KO", HttpMethod.Post, create, Body(extra: ",\"language\":\"KO\""));
        yield return new("unknown field", HttpMethod.Post, create, Body(extra: ",\"admin\":true"));
        yield return new("unknown field status", HttpMethod.Post, create, Body(extra: ",\"status\":\"checked-in\""));
        yield return new("proto field", HttpMethod.Post, create, Body(extra: ",\"__proto__\":{\"x\":1}"));
        yield return new("unknown field in lookup", HttpMethod.Post, "api/reservations/ABCD-EFGH/lookup", "{\"phone\":\"010-4321-8765\",\"code\":\"x\"}");

        // Content types and sizes
        foreach (var type in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jsonx" })
        {
            yield return new($"content type {type}", HttpMethod.Post, create, Body(), type);
        }

        // Bodies without a JSON Content-Type (a missing one too) are refused with 415 on every JSON route.
        string[] notJson = [null!, "text/plain", "text/json", "application/json-patch+json", "application/json; charset=utf-16",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/octet-stream", "*/*", "application/json,text/plain", ";", "json"];
        foreach (var type in notJson)
        {
            var label = type ?? "none";
            yield return new($"reserve content type {label}", HttpMethod.Post, create, Body(), type);
            yield return new($"lookup content type {label}", HttpMethod.Post, "api/reservations/ABCD-EFGH/lookup", $"{{\"phone\":\"{Phone}\"}}", type);
            yield return new($"cancel content type {label}", HttpMethod.Post, "api/reservations/ABCD-EFGH/cancel", $"{{\"phone\":\"{Phone}\"}}", type);
        }

        yield return new("multipart reservation", HttpMethod.Post, create,
            "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nKim\r\n--x--\r\n", "multipart/form-data; boundary=x");

        // Forged client addresses: with no trusted proxy (tests run with 0 hops) they change nothing.
        foreach (var forwarded in new[] { "203.0.113.7", "203.0.113.7:1", "[2001:db8::1]:443", "unknown", "' or 1 eq 1", new string('1', 5000), "1.2.3.4, 5.6.7.8, ::1" })
        {
            yield return new($"forwarded for {forwarded[..Math.Min(20, forwarded.Length)]}", HttpMethod.Post, create, Body(phone: "02-312-3456"),
                Headers: new Dictionary<string, string> { ["X-Forwarded-For"] = forwarded });
        }

        yield return new("10 MB body", HttpMethod.Post, create, new string(' ', 10 * 1024 * 1024) + Body());
        yield return new("17 KiB lookup body", HttpMethod.Post, "api/reservations/ABCD-EFGH/lookup", $"{{\"phone\":\"{new string('1', 17 * 1024)}\"}}");
        yield return new("empty body", HttpMethod.Post, create, "");
        yield return new("no body", HttpMethod.Post, create, null, null);

        // Idempotency keys
        yield return new("idempotency key 65 chars", HttpMethod.Post, create, Body(), Headers: new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 65) });
        yield return new("idempotency key with space", HttpMethod.Post, create, Body(), Headers: new Dictionary<string, string> { ["Idempotency-Key"] = "a b" });

        // Ids: traversal, injection, oversize
        foreach (var id in new[] { "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "picnic-zone.20240908.1300'%20or%20'1'%20eq%20'1", "x%00y",
                     new string('a', 2000), "PartitionKey%20eq%20'x'", "%3Cscript%3E", "picnic-zone.20240908.1300%20" })
        {
            yield return new($"session id {id[..Math.Min(30, id.Length)]}", HttpMethod.Get, $"api/sessions/{id}");
            yield return new($"reserve in session {id[..Math.Min(30, id.Length)]}", HttpMethod.Post, $"api/sessions/{id}/reservations", Body());
        }

        foreach (var code in new[] { "..%2F..%2Fx", "ABCD-EFGH'%20or%20'1'%20eq%20'1", "ZZZZZZZZZZ", "%2e%2e", "abcd-efgh", "IIII-OOOO", "ABCDEFGU" })
        {
            yield return new($"lookup code {code}", HttpMethod.Post, $"api/reservations/{code}/lookup", $"{{\"phone\":\"{Phone}\"}}");
            yield return new($"cancel code {code}", HttpMethod.Post, $"api/reservations/{code}/cancel", $"{{\"phone\":\"{Phone}\"}}");
        }

        // Query strings
        foreach (var query in new[] { "date=2024-02-30", "date='%20or%201%20eq%201", "theme=ART", "theme=art'", "date=2024-09-08T00:00", "date=%00" })
        {
            yield return new($"programs {query}", HttpMethod.Get, $"api/programs?{query}");
        }

        // Methods a route does not take
        yield return new("DELETE a session", HttpMethod.Delete, $"api/sessions/{Session}");
        yield return new("PUT a reservation list", HttpMethod.Put, create, Body());
    }

    /// <summary>
    /// The staff routes (with the key, so the bodies are read), the key itself (missing, wrong,
    /// oversized), Twilio's status callback without a valid signature, and the page routes.
    /// </summary>
    public static IEnumerable<HostileRequest> Staff(string key)
    {
        var withKey = new Dictionary<string, string> { ["x-functions-key"] = key };
        var csv = new Dictionary<string, string> { ["x-functions-key"] = key, ["Accept"] = "text/csv" };
        (HttpMethod Method, string Path, string? Body)[] routes =
        [
            (HttpMethod.Get, "api/staff/capacity?date=2024-09-08", null),
            (HttpMethod.Get, $"api/staff/sessions/{Session}/reservations", null),
            (HttpMethod.Post, "api/staff/reservations/ABCD-EFGH/check-in", null),
            (HttpMethod.Post, "api/staff/reservations/ABCD-EFGH/cancel", "{\"reason\":\"x\"}"),
            (HttpMethod.Patch, $"api/staff/sessions/{Session}", "{\"capacity\":1}"),
            (HttpMethod.Put, "api/staff/catalog", "{}"),
            (HttpMethod.Get, "api/staff/sms", null),
            (HttpMethod.Post, "api/staff/sms/ABC/retry", null),
        ];
        foreach (var (method, path, body) in routes)
        {
            var route = path.Split('?')[0];
            yield return new($"no key {method} {route}", method, path, body);
            yield return new($"wrong key {method} {route}", method, path, body, Headers: new Dictionary<string, string> { ["x-functions-key"] = key + "x" });
            yield return new($"key prefix {method} {route}", method, path, body, Headers: new Dictionary<string, string> { ["x-functions-key"] = key[..^1] });
            yield return new($"key in query, wrong {method} {route}", method, path + (path.Contains('?') ? "&" : "?") + "code=%27%20or%20%271", body);
        }

        yield return new("4 KB key", HttpMethod.Get, "api/staff/sms", Headers: new Dictionary<string, string> { ["x-functions-key"] = new string('k', 4096) });
        yield return new("key with control character", HttpMethod.Get, "api/staff/sms", Headers: new Dictionary<string, string> { ["x-functions-key"] = key + "\u0001" });

        // Capacity board
        foreach (var query in new[] { "", "date=2024-02-30", "date='%20or%201%20eq%201", "date=2024-09-08T00:00", "date=%00", "date=20240908", "date=-2024-09-08" })
        {
            yield return new($"capacity {query}", HttpMethod.Get, $"api/staff/capacity?{query}", Headers: withKey);
        }

        // Attendee lists, check-in, staff cancel: ids that are not ids
        foreach (var id in new[] { "..%2F..%2Fetc%2Fpasswd", "picnic-zone.20240908.1300'%20or%20'1'%20eq%20'1", new string('a', 2000), "%3Cscript%3E" })
        {
            var label = id[..Math.Min(30, id.Length)];
            yield return new($"attendees of {label}", HttpMethod.Get, $"api/staff/sessions/{id}/reservations", Headers: withKey);
            yield return new($"attendees csv of {label}", HttpMethod.Get, $"api/staff/sessions/{id}/reservations", Headers: csv);
            yield return new($"patch session {label}", HttpMethod.Patch, $"api/staff/sessions/{id}", "{\"capacity\":100}", Headers: withKey);
        }

        foreach (var code in new[] { "..%2F..%2Fx", "ABCD-EFGH'%20or%20'1'%20eq%20'1", "ZZZZZZZZZZ", "%2e%2e", "IIII-OOOO" })
        {
            yield return new($"check in {code}", HttpMethod.Post, $"api/staff/reservations/{code}/check-in", Headers: withKey);
            yield return new($"staff cancel {code}", HttpMethod.Post, $"api/staff/reservations/{code}/cancel", "{\"reason\":\"test\"}", Headers: withKey);
        }

        var cancel = "api/staff/reservations/ABCD-EFGH/cancel";
        foreach (var body in new[] { "{", "[]", "{\"reason\":1}", "{\"reason\":\"=HYPERLINK(\\\"x\\\")\",\"admin\":true}",
                     $"{{\"reason\":\"{new string('r', 5000)}\"}}", "{\"reason\":\"a\\u0000b\"}" })
        {
            yield return new($"staff cancel body {Escape(body)}", HttpMethod.Post, cancel, body, Headers: withKey);
        }

        // Session changes
        var patch = $"api/staff/sessions/{Session}";
        foreach (var body in new[] { "{}", "{", "[]", "{\"capacity\":-1}", "{\"capacity\":\"100\"}", "{\"capacity\":1e309}",
                     "{\"capacity\":2147483648}", "{\"capacity\":100000000}", "{\"capacity\":2.5}", "{\"closed\":\"yes\"}",
                     "{\"closed\":1}", "{\"capacity\":100,\"reserved\":0}", "{\"closed\":null,\"capacity\":null}" })
        {
            yield return new($"patch body {Escape(body)}", HttpMethod.Patch, patch, body, Headers: withKey);
        }

        yield return new("patch as text/plain", HttpMethod.Patch, patch, "{\"capacity\":100}", "text/plain", withKey);
        yield return new("patch without content type", HttpMethod.Patch, patch, "{\"capacity\":100}", null, withKey);
        yield return new("patch as merge-patch", HttpMethod.Patch, patch, "{\"capacity\":100}", "application/merge-patch+json", withKey);
        yield return new("staff cancel without content type", HttpMethod.Post, cancel, "{\"reason\":\"x\"}", null, withKey);
        yield return new("staff cancel as multipart", HttpMethod.Post, cancel, "--x\r\n\r\n{}\r\n--x--", "multipart/form-data; boundary=x", withKey);
        yield return new("catalog without content type", HttpMethod.Put, "api/staff/catalog", "{\"programs\":[]}", null, withKey);
        yield return new("catalog as text/plain", HttpMethod.Put, "api/staff/catalog", "{\"programs\":[]}", "text/plain", withKey);
        yield return new("patch 10 MB", HttpMethod.Patch, patch, "{\"capacity\":100" + new string(' ', 10 * 1024 * 1024) + "}", Headers: withKey);

        // Catalog replacement: documents that must be refused whole
        const string program = "{\"programId\":\"x-test\",\"theme\":\"art\",\"title\":{\"ko\":\"가\",\"en\":\"A\"},\"description\":{\"ko\":\"가\",\"en\":\"A\"},\"location\":{\"ko\":\"가\",\"en\":\"A\"},\"durationMinutes\":30,\"maxPartySize\":2,\"sessions\":[{\"times\":[\"14:00\"],\"capacity\":20}]}";
        foreach (var body in new[] { "{", "[]", "{}", "{\"programs\":\"all\"}", "{\"festivalId\":1}",
                     "{\"programs\":[" + program.Replace("\"art\"", "\"war\"", StringComparison.Ordinal) + "]}",
                     "{\"programs\":[" + program.Replace("\"capacity\":20", "\"capacity\":-5", StringComparison.Ordinal) + "]}",
                     "{\"programs\":[" + program.Replace("14:00", "25:00", StringComparison.Ordinal) + "]}",
                     "{\"programs\":[" + program.Replace("x-test", "../../x", StringComparison.Ordinal) + "]}",
                     "{\"programs\":[" + program + "],\"admin\":true}" })
        {
            yield return new($"catalog {Escape(body)}", HttpMethod.Put, "api/staff/catalog", body, Headers: withKey);
        }

        yield return new("catalog as xml", HttpMethod.Put, "api/staff/catalog", "<catalog/>", "application/xml", withKey);
        yield return new("catalog 10 MB", HttpMethod.Put, "api/staff/catalog", "{\"programs\":[" + new string(' ', 10 * 1024 * 1024) + "]}", Headers: withKey);

        // SMS list and retry
        foreach (var query in new[] { "status=bogus", "status='%20or%201%20eq%201", "reservationCode=ABCD'%20or%20PartitionKey%20ne%20'", "status=failed,sent" })
        {
            yield return new($"sms {query}", HttpMethod.Get, $"api/staff/sms?{query}", Headers: withKey);
        }

        foreach (var id in new[] { "unknown-message", "sid-SM123", "..%2F..%2Fx", "x'%20or%20'1'%20eq%20'1" })
        {
            yield return new($"sms retry {id}", HttpMethod.Post, $"api/staff/sms/{id}/retry", Headers: withKey);
        }

        // Twilio's status callback: only Twilio's signature gets in
        const string callback = "MessageSid=SM123&MessageStatus=delivered";
        yield return new("status callback unsigned", HttpMethod.Post, "api/sms/status", callback, "application/x-www-form-urlencoded");
        yield return new("status callback wrong signature", HttpMethod.Post, "api/sms/status", callback, "application/x-www-form-urlencoded",
            new Dictionary<string, string> { ["X-Twilio-Signature"] = "bm90IGEgc2lnbmF0dXJl" });
        yield return new("status callback as json", HttpMethod.Post, "api/sms/status", "{\"MessageSid\":\"SM123\"}", "application/json",
            new Dictionary<string, string> { ["X-Twilio-Signature"] = "x" });
        yield return new("status callback 10 MB", HttpMethod.Post, "api/sms/status", callback + new string('a', 10 * 1024 * 1024), "application/x-www-form-urlencoded");
        yield return new("status callback 10 MB signed", HttpMethod.Post, "api/sms/status", callback + new string('a', 10 * 1024 * 1024), "application/x-www-form-urlencoded",
            new Dictionary<string, string> { ["X-Twilio-Signature"] = "bm90IGEgc2lnbmF0dXJl" });
        yield return new("status callback as text/plain", HttpMethod.Post, "api/sms/status", callback, "text/plain",
            new Dictionary<string, string> { ["X-Twilio-Signature"] = "bm90IGEgc2lnbmF0dXJl" });
        yield return new("status callback without content type", HttpMethod.Post, "api/sms/status", callback, null,
            new Dictionary<string, string> { ["X-Twilio-Signature"] = "bm90IGEgc2lnbmF0dXJl" });
        yield return new("status callback multipart", HttpMethod.Post, "api/sms/status", "--x\r\nContent-Disposition: form-data; name=\"MessageSid\"\r\n\r\nSM123\r\n--x--",
            "multipart/form-data; boundary=x", new Dictionary<string, string> { ["X-Twilio-Signature"] = "bm90IGEgc2lnbmF0dXJl" });
        yield return new("status callback 1500 fields", HttpMethod.Post, "api/sms/status", string.Join("&", Enumerable.Range(0, 1500).Select(i => $"k{i}=v")),
            "application/x-www-form-urlencoded", new Dictionary<string, string> { ["X-Twilio-Signature"] = "bm90IGEgc2lnbmF0dXJl" });

        // Pages: only the allow-listed files
        foreach (var file in new[] { "..%2Fhost.json", "%2e%2e%2f%2e%2e%2fappsettings.json", "app.js%00.png", "unknown.js", "..\\host.json", "FestivalReservations.Functions.dll" })
        {
            yield return new($"asset {file}", HttpMethod.Get, $"assets/{file}", ContentType: null);
        }
    }

    private static string Quote(this string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Escape(string text) => string.Concat(text.Take(20).Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
