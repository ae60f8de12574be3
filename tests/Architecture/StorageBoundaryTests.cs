using System.Reflection;
using FestivalReservations.Core.Sessions;
using FestivalReservations.Core.Storage;
using FestivalReservations.Functions.Http;
using NetArchTest.Rules;

namespace FestivalReservations.Tests.Architecture;

/// <summary>
/// Only the storage folder of core talks to Azure Table Storage: the domain, the use cases, the
/// functions and devhost see sessions, reservations and stores, never a TableEntity.
/// </summary>
public sealed class StorageBoundaryTests
{
    private const string Tables = "Azure.Data.Tables";
    private static readonly string StorageNamespace = typeof(SessionStore).Namespace!;

    public static TheoryData<string> Assemblies => new()
    {
        typeof(Session).Assembly.GetName().Name!,
        typeof(Api).Assembly.GetName().Name!,
        typeof(FestivalReservations.DevHost.DevHostOptions).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Types_OutsideCoreStorage_DoNotDependOnAzureDataTables(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);

        var result = Types.InAssembly(assembly)
            .That().DoNotResideInNamespace(StorageNamespace)
            .ShouldNot().HaveDependencyOn(Tables)
            .GetResult();

        Assert.True(result.IsSuccessful, $"{assemblyName} uses {Tables} outside {StorageNamespace}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Rule_SeesADependency_WhereThereIsOne()
    {
        // The check itself must be able to fail: core's storage folder does use the package.
        var result = Types.InAssembly(typeof(SessionStore).Assembly)
            .That().ResideInNamespace(StorageNamespace)
            .ShouldNot().HaveDependencyOn(Tables)
            .GetResult();

        Assert.False(result.IsSuccessful);
        Assert.Contains(typeof(SessionStore).FullName, result.FailingTypeNames);
    }
}
