// The pages follow console/web/UI-CONTRACT.md exactly: the Chromium e2e tests (test/e2e) are written against it.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return <h1>Wachtpost</h1>;
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
