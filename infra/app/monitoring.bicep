// Alerts and a workbook over the app's telemetry in Application Insights (issue 17, point 3).
// The app sends OpenTelemetry metrics to customMetrics (name = instrument name, tags in
// customDimensions); requests and storage calls arrive in requests and dependencies.
param applicationInsightsName string
param storageAccountName string
param location string
param tags object

@description('Address the action group emails; empty for an action group without receivers.')
param alertEmail string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${applicationInsightsName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'festival'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'operator'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

// One scheduled query rule per alert, each on the Application Insights resource and wired to the
// action group. Each query ends in one row holding the measured column; a rule fires when that column
// crosses its threshold in one window (1 failing period of 1) and resolves itself (autoMitigate) once
// a window is back under it, so no one has to close a rush's alerts by hand. Severity 1 (error) where
// guests are already failed (a lost SMS, 5xx answers); 2 (warning) where the app still copes but slows.

// (a) From the festival.sms metric rather than from the length of the sms-poison queue: the storage
// account's queue metrics (QueueMessageCount) are account-wide, with no per-queue dimension, so they
// cannot tell a message in sms-poison from the ordinary backlog in sms.
resource smsPoisoned 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'sms-poisoned-${applicationInsightsName}'
  location: location
  tags: tags
  properties: {
    displayName: 'SMS poisoned'
    description: 'An SMS request reached the poison queue: it will not be retried, the guest gets no SMS.'
    severity: 1
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'customMetrics\n| where name == "festival.sms"\n| where tostring(customDimensions.outcome) == "poisoned"\n| summarize poisoned = sum(valueSum)'
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'poisoned'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

// (b) The share of 5xx answers; under 20 requests in the window one failure is noise, not a rate.
resource http5xxRate 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'http-5xx-rate-${applicationInsightsName}'
  location: location
  tags: tags
  properties: {
    displayName: 'Function app 5xx rate'
    description: 'More than 5 % of the function app\'s requests answered 5xx in 5 minutes (with at least 20 requests).'
    severity: 1
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'requests\n| summarize total = count(), failed = countif(toint(resultCode) >= 500)\n| where total >= 20\n| extend failedPercent = 100.0 * failed / total'
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'failedPercent'
          operator: 'GreaterThan'
          threshold: 5
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

// (c) festival.commit.conflicts summed over the rounds, counted as festival.commit.batch_size records.
resource commit412Rate 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'commit-412-rate-${applicationInsightsName}'
  location: location
  tags: tags
  properties: {
    displayName: 'Commit 412 rate'
    description: 'More than 0.5 conflicts (412 on a session partition) per commit round in 5 minutes: commits contend on too few partitions.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'customMetrics\n| where name in ("festival.commit.conflicts", "festival.commit.batch_size")\n| summarize conflicts = sumif(valueSum, name == "festival.commit.conflicts"), rounds = sumif(valueCount, name == "festival.commit.batch_size")\n| where rounds > 0\n| extend conflictsPerRound = conflicts / rounds'
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'conflictsPerRound'
          operator: 'GreaterThan'
          threshold: json('0.5')
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

// (d) The storage account's throttling as the app's own calls saw it.
resource storageThrottling 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'storage-throttling-${applicationInsightsName}'
  location: location
  tags: tags
  properties: {
    displayName: 'Storage throttling'
    description: 'More than 10 table or queue calls to the storage account were throttled (503, or 500 ServerBusy) in 5 minutes.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'dependencies\n| where type in~ ("Azure table", "Azure queue")\n| where target contains "${storageAccountName}"\n| where resultCode == "503" or (resultCode == "500" and (tostring(customDimensions) contains "ServerBusy" or data contains "ServerBusy"))\n| summarize throttled = count()'
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'throttled'
          operator: 'GreaterThan'
          threshold: 10
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, applicationInsights.id, 'festival-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'FestivalReservations'
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: loadTextContent('monitoring.workbook.json')
  }
}

output actionGroupId string = actionGroup.id
output workbookId string = workbook.id
