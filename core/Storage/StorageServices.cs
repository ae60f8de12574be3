using FestivalReservations.Core.Abuse;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FestivalReservations.Core.Storage;

/// <summary>Registers the storage clients and every store: the only code that knows Table Storage is here.</summary>
public static class StorageServices
{
    public static IServiceCollection AddFestivalStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddStorageClients();
        services.AddSingleton<StorageHealth>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<CodeDirectory>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<CatalogStore>();
        services.AddSingleton<SmsLogStore>();
        services.AddSingleton<IAddressBudgetLedger, AddressBudgetLedger>();
        services.AddSingleton<SessionsByEnd>();
        services.AddSingleton<ErasureRunStore>();

        // The personal data erasure walks (see DataRetention): later stores add themselves here.
        services.AddSingleton<Privacy.IPersonalDataHolder, CodesPersonalData>();
        services.AddSingleton<Privacy.IPersonalDataHolder, SmsLogPersonalData>();
        services.AddSingleton<Privacy.IExpiringPersonalData, IdempotencyPersonalData>();
        services.AddSingleton<Privacy.IExpiringPersonalData, PhoneDaysPersonalData>();
        return services;
    }
}
