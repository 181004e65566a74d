/**
 * Beside an empty list while exercise data is hidden (the default): a demo or a simulator run is all exercise,
 * so "0 rows" alone reads as "nothing happened". The server gives no count of the hidden rows.
 */
export function ExerciseHint({ onShow }: { onShow: () => void }) {
  return (
    <p className="hist-hint" data-testid="exercise-hint">
      Exercise data (simulator runs, drills) is hidden, in this list and in the charts; in a demo all traffic
      is exercise.{' '}
      <button type="button" className="secondary" onClick={onShow}>
        Include exercise data
      </button>
    </p>
  );
}
