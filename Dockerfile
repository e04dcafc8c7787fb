FROM node:20-bookworm-slim
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY . .
RUN npm ci && npm cache clean --force
EXPOSE 8080
CMD ["npm", "start"]
