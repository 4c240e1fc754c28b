import type { OutcomeFieldsFragment } from "../generated/graphql";
import { decimal, score, share } from "../lib/format";

/** Each outcome figure with the count it was computed on. */
export function OutcomeTable({ figures }: { figures: OutcomeFieldsFragment }) {
  const rows: [string, string, string][] = [
    ["Reliable improvement", share(figures.reliableImprovementRate), `${figures.measuredEpisodes} measured episodes`],
    ["Reliable deterioration", share(figures.reliableDeteriorationRate), `${figures.measuredEpisodes} measured episodes`],
    ["Recovery", share(figures.recoveryRate), `${figures.startedInClinicalRange} started in the clinical range`],
    ["Mean ORS change", decimal(figures.meanChange, 1), `${figures.measuredEpisodes} measured episodes`],
    ["Effect size", decimal(figures.effectSize), `${figures.measuredEpisodes} measured episodes`],
    ["Dropout", share(figures.dropoutRate), `${figures.closedEpisodes} closed episodes`],
    ["Feedback completion", share(figures.feedbackCompletion), `${figures.sessionsHeld} sessions held`],
    ["Mean SRS", score(figures.meanSrs), `${figures.srsCount} SRS`],
    ["SRS under the cutoff", share(figures.srsBelowCutoffRate), `${figures.srsCount} SRS`],
  ];
  return (
    <table>
      <thead>
        <tr><th scope="col">Figure</th><th scope="col" className="number">Value</th><th scope="col">Counted on</th></tr>
      </thead>
      <tbody>
        {rows.map(([name, value, count]) => (
          <tr key={name}><th scope="row">{name}</th><td className="number">{value}</td><td>{count}</td></tr>
        ))}
      </tbody>
    </table>
  );
}
