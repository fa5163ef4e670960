import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadPlotly } from './plotly';
import './styles.css';

// plotly.js is the largest module: start fetching and parsing it while the samples open
void loadPlotly();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
