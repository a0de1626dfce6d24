// The npm entry registers <connections-panel> and <connections-summary>; it runs before React
// renders, so React sees their properties (`session`) and sets them as properties.
import 'connections-panel';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
