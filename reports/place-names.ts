/**
 * The city an AWS region code stands for, so that a sentence reads "Tokyo was isolated" rather
 * than "ap-northeast-1 was isolated". A name this table does not know (a lab's "r1") is used as
 * it is. Tables and charts keep the codes: they are what the history and the CLI say.
 */

const CITIES: Readonly<Record<string, string>> = {
  'ap-northeast-1': 'Tokyo',
  'ap-northeast-2': 'Seoul',
  'ap-northeast-3': 'Osaka',
  'ap-southeast-1': 'Singapore',
  'ap-southeast-2': 'Sydney',
  'ap-south-1': 'Mumbai',
  'ap-east-1': 'Hong Kong',
  'us-east-1': 'N. Virginia',
  'us-east-2': 'Ohio',
  'us-west-1': 'N. California',
  'us-west-2': 'Oregon',
  'ca-central-1': 'Montreal',
  'eu-west-1': 'Ireland',
  'eu-west-2': 'London',
  'eu-west-3': 'Paris',
  'eu-central-1': 'Frankfurt',
  'eu-north-1': 'Stockholm',
  'sa-east-1': 'São Paulo',
};

/** "Tokyo" for ap-northeast-1; the code itself when the table does not know it. */
export function placeName(region: string): string {
  return CITIES[region] ?? region;
}
