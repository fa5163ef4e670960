import { useDatasets } from '../state/datasets';

/** One grouped message for every file that failed to open; everything else stays loaded. */
export function ErrorBanner() {
  const errors = useDatasets((s) => s.errors);
  const dismissErrors = useDatasets((s) => s.dismissErrors);
  // always one element: the app grid's rows are header, this slot, main, footer
  if (!errors.length) return <div className="error-slot" />;
  return (
    <div className="error" data-testid="error" role="alert">
      <strong>{errors.length === 1 ? 'Could not open 1 dataset' : `Could not open ${errors.length} datasets`}</strong>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            <code>{e.path}</code>: {e.reason}
          </li>
        ))}
      </ul>
      <button onClick={dismissErrors}>Dismiss</button>
    </div>
  );
}
