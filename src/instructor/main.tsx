import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'uplot/dist/uPlot.min.css';
import { connectInstructor, instructorSocketUrl } from './api';
import { Console } from './Console';
import './console.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const client = connectInstructor(instructorSocketUrl(window.location));
createRoot(root).render(
  <StrictMode>
    <Console client={client} />
  </StrictMode>,
);
