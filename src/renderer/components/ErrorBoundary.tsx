import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/**
 * A screen that throws while rendering (e.g. a formatter refusing a malformed value) must not blank the
 * whole programmer: the header, the alarm banner and the safety statement stay, and the clinician can go back.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; onReset(): void }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="screen" aria-labelledby="display-error-title">
        <h1 id="display-error-title">This screen could not be shown</h1>
        <p role="alert" className="error">
          {this.state.error.message}
        </p>
        <button
          type="button"
          onClick={() => {
            this.setState({ error: null });
            this.props.onReset();
          }}
        >
          Back to summary
        </button>
      </section>
    );
  }
}
