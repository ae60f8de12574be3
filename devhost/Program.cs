using FestivalReservations.DevHost;

// devhost: runs the functions app's own classes on http://localhost:7071 without Core Tools.
await DevHostApp.Build(args).RunAsync();
