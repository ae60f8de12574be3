using System.Runtime.CompilerServices;
using FestivalReservations.Functions;

namespace FestivalReservations.Tests.Telemetry;

/// <summary>
/// Azure.Core reads its activity-source switch once, when the first client is built: the test
/// process builds clients (Azurite's fixture) before any app's registration sets it, so it is set
/// here first, as the app's own start sets it before its clients.
/// </summary>
internal static class AzureActivitySwitch
{
    [ModuleInitializer]
    internal static void TurnOn() => AppContext.SetSwitch(ServiceRegistration.AzureActivitySourceSwitch, true);
}
